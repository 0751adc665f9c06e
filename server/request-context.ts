import type { AuthContext } from '../sync-rules/context.ts';
import type { Logger } from './logger.ts';

/** What every handler knows about the request it serves; passed explicitly, never global. */
export type RequestContext = {
  requestId: string;
  log: Logger;
  /** Null until the bearer token has been verified. */
  auth: AuthContext | null;
  /**
   * The client's address and user agent, for the audit log. For a Zero mutation they are the
   * browser's, as the gateway saw its sync socket (server/zero-gateway.ts), not zero-cache's.
   */
  ip?: string | null;
  userAgent?: string | null;
};

/** Koa's ctx.state, typed. */
export type AppState = { request: RequestContext };
