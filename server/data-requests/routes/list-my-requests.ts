import type { DataRequestDeps, DataRequestsRouter } from '../deps.ts';
import { listMyRequests } from '../my-requests.ts';
import { authenticatePerson } from '../../files/people-only.ts';

/** GET /api/v1/me/data-requests — the signed-in person's export and erasure requests, in every clinic. */
export function listMyRequestsRoute(router: DataRequestsRouter, deps: DataRequestDeps): void {
  router.get('/me/data-requests', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { dataRequests: await listMyRequests(deps, auth) };
  });
}
