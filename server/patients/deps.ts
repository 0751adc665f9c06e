import type Router from '@koa/router';
import type { Sql } from 'postgres';
import type { Authenticator } from '../auth/authenticate.ts';
import type { AppState } from '../request-context.ts';

export type PatientDeps = {
  /** The server's pool (api login); every query takes the runtime role first. */
  sql: Sql;
  authenticate: Authenticator;
  /** PATIENT_RETENTION_DAYS: how long a deleted record can be restored before the purge. */
  retentionDays: number;
};

export type PatientsRouter = Router<AppState>;
