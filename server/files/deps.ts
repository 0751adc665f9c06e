import type Router from '@koa/router';
import type { Sql } from 'postgres';
import type { Authenticator } from '../auth/authenticate.ts';
import type { AppState } from '../request-context.ts';
import type { ObjectStorage } from '../storage/object-storage.ts';
import type { FilePolicy } from './file-policy.ts';

export type FileDeps = {
  /** The server's pool (api login); every query takes the runtime role first. */
  sql: Sql;
  authenticate: Authenticator;
  storage: ObjectStorage;
  policy: FilePolicy;
};

export type FilesRouter = Router<AppState>;
