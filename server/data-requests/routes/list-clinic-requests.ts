import { authenticatePerson } from '../../files/people-only.ts';
import { listClinicRequests } from '../clinic-requests.ts';
import type { DataRequestDeps, DataRequestsRouter } from '../deps.ts';

/** GET /api/v1/data-requests — the requests patients made of the caller's clinic (patients.manage). */
export function listClinicRequestsRoute(router: DataRequestsRouter, deps: DataRequestDeps): void {
  router.get('/data-requests', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { dataRequests: await listClinicRequests(deps, auth) };
  });
}
