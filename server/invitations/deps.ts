import type Router from '@koa/router';
import type { Sql } from 'postgres';
import type { Authenticator } from '../auth/authenticate.ts';
import type { EventSecrets } from '../events/event-secrets.ts';
import type { AppState } from '../request-context.ts';

/** The verified address of a signed-in person, lower-cased; null if they have none (yet). */
export type VerifiedEmailOf = (principalId: string) => Promise<string | null>;

export type ShareLinkDeps = {
  /** The server's pool (api login); every query takes the runtime role first. */
  sql: Sql;
  authenticate: Authenticator;
  /** Where people reach the apps: join and accept links are built on it. */
  baseURL: string;
};

export type InvitationDeps = ShareLinkDeps & {
  verifiedEmailOf: VerifiedEmailOf;
  /** Encrypts the link's token in the outbox event the mail goes out from. */
  eventSecrets: EventSecrets;
};

export type InvitationsRouter = Router<AppState>;
