import type { InvitationsRouter, ShareLinkDeps } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { listMyClinics } from '../my-clinics.ts';

/** GET /api/v1/me/clinics — the clinics the caller joined as a patient (the Portal's home); only theirs. */
export function listMyClinicsRoute(router: InvitationsRouter, deps: ShareLinkDeps): void {
  router.get('/me/clinics', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { clinics: await listMyClinics(deps.sql, auth) };
  });
}
