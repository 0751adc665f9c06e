import type Router from '@koa/router';
import type { Sql } from 'postgres';
import type { Authenticator } from '../auth/authenticate.ts';
import type { AppState } from '../request-context.ts';

export type NoticeDeps = {
  /** The server's pool (api login); every query takes the runtime role first (actAs). */
  sql: Sql;
  authenticate: Authenticator;
};

export type NoticesRouter = Router<AppState>;
