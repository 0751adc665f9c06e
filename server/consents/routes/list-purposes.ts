import { actAs } from '../../db-scope.ts';
import { authenticatePerson } from '../../files/people-only.ts';
import { purposes } from '../consent-records.ts';
import type { ConsentDeps, ConsentsRouter } from '../deps.ts';

/** GET /api/v1/consent-purposes — the platform's purpose catalogue (Portal labels, Console viewer). */
export function listPurposesRoute(router: ConsentsRouter, deps: ConsentDeps): void {
  router.get('/consent-purposes', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.body = { purposes: await deps.sql.begin(async (tx) => { await actAs(tx, auth); return purposes(tx); }) };
  });
}
