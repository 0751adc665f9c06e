import { randomUUID } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import type { Sql } from 'postgres';
import type { KeyEnvironment } from './api-keys/key-format.ts';
import { createCallerAuthenticator } from './api-v1/authenticate-caller.ts';
import { apiV1Routes } from './api-v1/router.ts';
import { createAuthenticator } from './auth/authenticate.ts';
import type { BetterAuth } from './auth/better-auth.ts';
import type { TokenService } from './auth/tokens.ts';
import { createZeroDbProvider } from './db.ts';
import { errorEnvelope } from './errors.ts';
import { invitationRoutes, shareLinkRoutes } from './invitations/router.ts';
import { verifiedEmailFromIdentity } from './invitations/verified-email.ts';
import type { Logger } from './logger.ts';
import type { DevMailbox } from './notify/dev-mailbox.ts';
import { devMailboxRoutes } from './notify/dev-mailbox-routes.ts';
import type { Notifier } from './notify/notify.ts';
import { platformRoutes } from './platform/router.ts';
import { secondFactorsFromIdentity } from './platform/second-factors.ts';
import type { AppState } from './request-context.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { devLoginRoutes } from './routes/dev-login.ts';
import { sessionRoutes } from './routes/session.ts';
import { zeroEndpoints, type ZeroLogLevel } from './routes/zero-endpoints.ts';
import { staticApps } from './static-apps.ts';

export type AppDeps = {
  log: Logger;
  apiSql: Sql;
  tokens: TokenService;
  /** The identity service and its pool (restartix_auth). */
  auth: BetterAuth;
  authSql: Sql;
  /** The one way mail goes out (server/notify/): invitations. */
  notify: Notifier;
  /** Where browsers reach us; better-auth builds links and checks origins with it. */
  baseURL: string;
  zeroApiKey: string;
  /** Which API keys this deployment mints: `rx_live_…` in production, `rx_test_…` elsewhere. */
  apiKeyEnvironment: KeyEnvironment;
  /** Set only when the development login is enabled. */
  devLookupSql: Sql | null;
  /** Set only when mail goes to the development mailbox (no SMTP_URL): mounts /dev/mailbox. */
  devMailbox: Pick<DevMailbox, 'messages'> | null;
  distDir: string;
};

/** Zero's own logs follow ours, but never below warn: its per-mutation error lines duplicate ours. */
function zeroLogLevel(level: string): ZeroLogLevel {
  return level === 'debug' || level === 'trace' ? 'debug' : 'error';
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The core API: one Koa app for the API, the Zero endpoints and the three PWAs. */
export function createApp(deps: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>({ proxy: false });
  const authenticate = createAuthenticator(deps.apiSql, deps.tokens);

  app.use(async (ctx, next) => {
    const presented = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(presented) ? presented : randomUUID();
    ctx.state.request = { requestId, auth: null, log: deps.log.child({ requestId }) };
    ctx.set('X-Request-Id', requestId);
    await next();
  });
  app.use(errorEnvelope);
  app.use(staticApps(deps.distDir));
  // Zero pushes can be large after a long offline stretch.
  app.use(bodyParser({ jsonLimit: '10mb', enableTypes: ['json'] }));

  const routers = [
    zeroEndpoints({ authenticate, authenticateForSync: createAuthenticator(deps.apiSql, deps.tokens, 'drop'), dbProvider: createZeroDbProvider(deps.apiSql), apiKey: deps.zeroApiKey, zeroLogLevel: zeroLogLevel(deps.log.level) }),
    sessionRoutes({ authenticate }),
    apiV1Routes({ sql: deps.apiSql, authenticateCaller: createCallerAuthenticator(deps.apiSql, authenticate), keyEnvironment: deps.apiKeyEnvironment }),
    invitationRoutes({ sql: deps.apiSql, authenticate, baseURL: deps.baseURL, notify: deps.notify, verifiedEmailOf: verifiedEmailFromIdentity(deps.authSql) }),
    shareLinkRoutes({ sql: deps.apiSql, authenticate, baseURL: deps.baseURL }),
    platformRoutes({ sql: deps.apiSql, authenticate, secondFactorsOf: secondFactorsFromIdentity(deps.authSql) }),
    authRoutes({ auth: deps.auth, baseURL: deps.baseURL, apiSql: deps.apiSql, authSql: deps.authSql }),
    ...(deps.devLookupSql === null || deps.tokens.issue === null
      ? []
      : [devLoginRoutes({ lookupSql: deps.devLookupSql, apiSql: deps.apiSql, issue: deps.tokens.issue })]),
    ...(deps.devMailbox === null ? [] : [devMailboxRoutes(deps.devMailbox)]),
  ];
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  return app;
}
