import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import type { PatientDeps, PatientsRouter } from '../deps.ts';
import { restorePatient } from '../trash.ts';

const ZPatientParams = z.object({ id: z.uuid() });

/** POST /api/v1/patients/:id/restore — brings a deleted record back within the retention window. */
export function restorePatientRoute(router: PatientsRouter, deps: PatientDeps): void {
  router.post('/patients/:id/restore', async (ctx) => {
    const auth = await deps.authenticate(ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZPatientParams, ctx.params);
    ctx.body = { patient: await restorePatient(deps, auth, ctx.state.request, id) };
  });
}
