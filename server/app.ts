import { randomUUID } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import type { Sql } from 'postgres';
import { createActivityTracker } from './activity/activity-tracker.ts';
import { activityRoutes } from './activity/router.ts';
import type { KeyEnvironment } from './api-keys/key-format.ts';
import { auditRoutes } from './audit/router.ts';
import { consentRoutes } from './consents/router.ts';
import type { Encryption } from './crypto/encryption.ts';
import { dataRequestRoutes } from './data-requests/router.ts';
import { privacyNoticeRoutes } from './privacy-notices/router.ts';
import { createCallerAuthenticator } from './api-v1/authenticate-caller.ts';
import type { EventSecrets } from './events/event-secrets.ts';
import { apiV1Routes } from './api-v1/router.ts';
import { createAuthenticator } from './auth/authenticate.ts';
import type { BetterAuth } from './auth/better-auth.ts';
import type { TokenService } from './auth/tokens.ts';
import { createZeroDbProvider } from './db.ts';
import { auditRefusedWrites } from './audit/audit-refused-writes.ts';
import { errorEnvelope } from './errors.ts';
import { requestAddress } from './rate-limits/client-address.ts';
import type { FileDeps } from './files/deps.ts';
import { fileRoutes } from './files/router.ts';
import { patientRoutes } from './patients/router.ts';
import { invitationRoutes, shareLinkRoutes } from './invitations/router.ts';
import { verifiedEmailFromIdentity } from './invitations/verified-email.ts';
import type { Logger } from './logger.ts';
import type { DevMailbox } from './notify/dev-mailbox.ts';
import { devMailboxRoutes } from './notify/dev-mailbox-routes.ts';
import { jobRoutes } from './jobs/router.ts';
import { platformRoutes } from './platform/router.ts';
import { secondFactorsFromIdentity } from './platform/second-factors.ts';
import type { RateLimits } from './rate-limits/rate-limits.ts';
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
  /** Encrypts the secrets of outbox events (invitation links): server/events/event-secrets.ts. */
  eventSecrets: EventSecrets;
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
  /** TRUSTED_PROXY_HOPS: how many proxies in front of us append to X-Forwarded-For (0: trust only the socket). */
  trustedProxyHops: number;
  /** Object storage and the upload limits (server/files/, ADR 0016). */
  files: Pick<FileDeps, 'storage' | 'policy'>;
  /** PATIENT_RETENTION_DAYS: the restore window of deleted patient records (server/patients/). */
  patientRetentionDays: number;
  /** Per client address and per principal, counted in the database (server/rate-limits/, ADR 0018). */
  rateLimits: RateLimits;
  /** Field encryption under each clinic's data key (server/crypto/, ADR 0014): data-subject exports. */
  encryption: Pick<Encryption, 'encryptField' | 'decryptField'>;
};

/** Zero's own logs follow ours, but never below warn: its per-mutation error lines duplicate ours. */
function zeroLogLevel(level: string): ZeroLogLevel {
  return level === 'debug' || level === 'trace' ? 'debug' : 'error';
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The core API: one Koa app for the API, the Zero endpoints and the three PWAs. */
export function createApp(deps: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>({ proxy: false });
  const activity = createActivityTracker({ sql: deps.apiSql, log: deps.log });
  // Every route that authenticates a person spends their budget for the route's class.
  const authenticate = deps.rateLimits.forPeople(createAuthenticator(deps.apiSql, deps.tokens, 'reject', activity));

  app.use(async (ctx, next) => {
    const presented = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(presented) ? presented : randomUUID();
    const ip = requestAddress(ctx.req.socket.remoteAddress, ctx.get('x-forwarded-for'), deps.trustedProxyHops);
    ctx.state.request = { requestId, auth: null, log: deps.log.child({ requestId }), ip, userAgent: ctx.get('user-agent') || null };
    ctx.set('X-Request-Id', requestId);
    await next();
  });
  app.use(errorEnvelope);
  app.use(auditRefusedWrites(deps.apiSql));
  app.use(staticApps(deps.distDir));
  // Before the body parser: a refused request is never read.
  app.use(deps.rateLimits.middleware);
  // Zero pushes can be large after a long offline stretch.
  app.use(bodyParser({ jsonLimit: '10mb', enableTypes: ['json'] }));

  const routers = [
    zeroEndpoints({ authenticate, authenticateForSync: createAuthenticator(deps.apiSql, deps.tokens, 'drop', activity), dbProvider: createZeroDbProvider(deps.apiSql), apiKey: deps.zeroApiKey, zeroLogLevel: zeroLogLevel(deps.log.level) }),
    sessionRoutes({ authenticate }),
    apiV1Routes({ sql: deps.apiSql, authenticateCaller: deps.rateLimits.forCallers(createCallerAuthenticator(deps.apiSql, authenticate)), keyEnvironment: deps.apiKeyEnvironment }),
    invitationRoutes({ sql: deps.apiSql, authenticate, baseURL: deps.baseURL, eventSecrets: deps.eventSecrets, verifiedEmailOf: verifiedEmailFromIdentity(deps.authSql) }),
    shareLinkRoutes({ sql: deps.apiSql, authenticate, baseURL: deps.baseURL }),
    fileRoutes({ sql: deps.apiSql, authenticate, ...deps.files }),
    patientRoutes({ sql: deps.apiSql, authenticate, retentionDays: deps.patientRetentionDays }),
    platformRoutes({ sql: deps.apiSql, authenticate, secondFactorsOf: secondFactorsFromIdentity(deps.authSql) }),
    jobRoutes({ sql: deps.apiSql, authenticate }),
    activityRoutes({ sql: deps.apiSql, authenticate }),
    auditRoutes({ sql: deps.apiSql, authenticate }),
    dataRequestRoutes({ sql: deps.apiSql, authenticate, encryption: deps.encryption }),
    consentRoutes({ sql: deps.apiSql, authenticate }),
    ...privacyNoticeRoutes({ sql: deps.apiSql, authenticate }),
    authRoutes({ auth: deps.auth, baseURL: deps.baseURL, apiSql: deps.apiSql, authSql: deps.authSql, trustedProxyHops: deps.trustedProxyHops }),
    ...(deps.devLookupSql === null || deps.tokens.issue === null
      ? []
      : [devLoginRoutes({ lookupSql: deps.devLookupSql, apiSql: deps.apiSql, issue: deps.tokens.issue })]),
    ...(deps.devMailbox === null ? [] : [devMailboxRoutes(deps.devMailbox)]),
  ];
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  return app;
}
