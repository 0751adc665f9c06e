import { authenticatePerson } from '../../files/people-only.ts';
import type { ConsentDeps, ConsentsRouter } from '../deps.ts';
import { readMyConsents, readPendingConsents } from '../my-consents.ts';

/** GET /api/v1/me/consents — the Portal's consents page: terms, each clinic's notice and choices, the trail. */
export function myConsentsRoute(router: ConsentsRouter, deps: ConsentDeps): void {
  router.get('/me/consents', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await readMyConsents(deps.sql, auth);
  });
}

/** GET /api/v1/me/consents/pending — what the Portal must ask before anything else. */
export function pendingConsentsRoute(router: ConsentsRouter, deps: ConsentDeps): void {
  router.get('/me/consents/pending', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await readPendingConsents(deps.sql, auth);
  });
}
