import Router from '@koa/router';
import type { AppState } from '../request-context.ts';
import type { PatientDeps } from './deps.ts';
import { listDeletedPatientsRoute } from './routes/list-deleted-patients.ts';
import { restorePatientRoute } from './routes/restore-patient.ts';

/**
 * /api/v1/patients: what sync cannot carry. Records and profiles themselves are synced (Zero
 * mutators patient.*); a deleted record is hidden from sync, so its trash and restore are here.
 */
export function patientRoutes(deps: PatientDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  for (const route of [listDeletedPatientsRoute, restorePatientRoute]) route(router, deps);
  return router;
}
