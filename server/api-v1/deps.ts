import type Router from '@koa/router';
import type { Sql } from 'postgres';
import type { KeyEnvironment } from '../api-keys/key-format.ts';
import type { AppState } from '../request-context.ts';
import type { CallerAuthenticator } from './authenticate-caller.ts';

export type ApiV1Deps = {
  /** The server's pool (api login); every query takes the runtime role first. */
  sql: Sql;
  authenticateCaller: CallerAuthenticator;
  keyEnvironment: KeyEnvironment;
};

export type ApiV1Router = Router<AppState>;
