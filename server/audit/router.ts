import Router from '@koa/router';
import type { Sql } from 'postgres';
import type { Authenticator } from '../auth/authenticate.ts';
import type { AppState } from '../request-context.ts';
import { auditVocabularyRoute } from './routes/audit-vocabulary.ts';
import { listAuditRoute } from './routes/list-audit.ts';

export type AuditRouteDeps = {
  /** The server's pool (api login); every query takes the runtime role first. */
  sql: Sql;
  authenticate: Authenticator;
};

/** /api/v1/audit: the Clinic's audit-log viewer. People only, never API keys. */
export function auditRoutes(deps: AuditRouteDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  auditVocabularyRoute(router, deps);
  listAuditRoute(router, deps);
  return router;
}
