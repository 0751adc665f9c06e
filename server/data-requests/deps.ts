import type Router from '@koa/router';
import type { Sql } from 'postgres';
import type { Authenticator } from '../auth/authenticate.ts';
import type { Encryption } from '../crypto/encryption.ts';
import type { AppState } from '../request-context.ts';

export type DataRequestDeps = {
  /** The server's pool (api login); every query takes the runtime role first. */
  sql: Sql;
  authenticate: Authenticator;
  /** Seals the export under the clinic's data key, and opens it (and any encrypted source column). */
  encryption: Pick<Encryption, 'encryptField' | 'decryptField'>;
};

export type DataRequestsRouter = Router<AppState>;
