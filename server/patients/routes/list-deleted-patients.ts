import type { PatientDeps, PatientsRouter } from '../deps.ts';
import { listDeletedPatients } from '../trash.ts';

/** GET /api/v1/patients/deleted — the trash: deleted records that can still be restored. */
export function listDeletedPatientsRoute(router: PatientsRouter, deps: PatientDeps): void {
  router.get('/patients/deleted', async (ctx) => {
    const auth = await deps.authenticate(ctx.get('authorization'), ctx.state.request);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { patients: await listDeletedPatients(deps, auth) };
  });
}
