import type Router from '@koa/router';
import type { Sql } from 'postgres';
import type { Authenticator } from '../auth/authenticate.ts';
import type { AppState } from '../request-context.ts';

/** Which of these people have a second factor enrolled with the identity service (absent: none). */
export type SecondFactorsOf = (principalIds: readonly string[]) => Promise<ReadonlySet<string>>;

export type PlatformDeps = {
  /** The server's pool (api login); every query takes the runtime role first. */
  sql: Sql;
  authenticate: Authenticator;
  secondFactorsOf: SecondFactorsOf;
};

export type PlatformRouter = Router<AppState>;
