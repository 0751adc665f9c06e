import type Router from '@koa/router';
import type { Sql } from 'postgres';
import type { Authenticator } from '../auth/authenticate.ts';
import type { AppState } from '../request-context.ts';

export type JobRouteDeps = {
  /** The server's pool (api login); every query takes the runtime role first. */
  sql: Sql;
  authenticate: Authenticator;
};

export type JobRouter = Router<AppState>;
