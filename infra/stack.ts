import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRemoteJWKSet } from 'jose';
import { join, resolve } from 'node:path';
import postgres, { type Sql } from 'postgres';
import { ensureDatabase, ensureRoles, prepareZeroShard, withCredentials, withDatabase } from '../db/bootstrap.ts';
import { migrate } from '../db/migrate.ts';
import { ROLES, SYNC_PUBLICATION } from '../db/roles.ts';
import { createApp } from '../server/app.ts';
import { authMail } from '../server/auth/auth-mail.ts';
import { AUTH_BASE_PATH, createBetterAuth } from '../server/auth/better-auth.ts';
import { createTokenService } from '../server/auth/tokens.ts';
import type { Config } from '../server/config.ts';
import { createApiPool } from '../server/db.ts';
import { createLogger } from '../server/logger.ts';
import { createNotifier, type Notifier } from '../server/notify/notify.ts';
import { startMail } from '../server/notify/start-mail.ts';
import { attachZeroGateway } from '../server/zero-gateway.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { freePortRange } from './free-port.ts';
import { startZeroCache } from './zero-cache.ts';

export type StackOptions = {
  config: Config;
  /** Reuse a running cluster (tests) by its superuser URL; otherwise embedded Postgres starts unless DATABASE_URL is set. */
  superuserUrl?: string;
  /** Runs after migrations, before zero-cache's initial sync, with a connection that bypasses RLS. */
  seed?: (adminSql: Sql) => Promise<void>;
  /** Skip fsync in throwaway clusters. */
  durable?: boolean;
  log?: (source: string, line: string) => void;
};

export type Stack = {
  origin: string;
  port: number;
  databases: { admin: string | null; owner: string; api: string; zero: string };
  config: Config;
  /** The one way to send email (server/notify/). */
  notify: Notifier;
  /** The development mailbox's page, when mail goes there (no SMTP_URL). */
  mailboxUrl: string | null;
  stop: () => Promise<void>;
};

const ROOT = resolve(import.meta.dirname, '..');
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * The whole platform in one process tree: PostgreSQL (embedded unless configured), migrations,
 * optional seed, the Koa core API with the PWAs, and zero-cache behind the API's origin.
 * Used by `npm start`, the tests, the e2e suite and the benchmarks alike.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { config } = options;
  const say = options.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((error: unknown) => { say('stack', `stop failed: ${String(error)}`); });
  };
  try {
    const dataDir = resolve(ROOT, config.DATA_DIR);
    mkdirSync(dataDir, { recursive: true });

    // 1. PostgreSQL and the roles and database we need.
    let adminUrl: string | null = config.DATABASE_ADMIN_URL ?? null;
    let ownerUrl: string;
    let apiUrl: string;
    let zeroUrl: string;
    let authUrl: string;
    if (config.DATABASE_URL === undefined) {
      let superuser = options.superuserUrl;
      if (superuser === undefined) {
        const cluster = await startEmbeddedPostgres({
          dataDir: join(dataDir, 'pg'),
          port: config.EMBEDDED_PG_PORT,
          password: config.EMBEDDED_PG_PASSWORD,
          durable: options.durable ?? true,
          log: (line) => { say('postgres', line); },
        });
        stops.push(() => cluster.stop());
        superuser = cluster.superuserUrl();
      }
      await ensureRoles(superuser, { owner: config.DB_OWNER_PASSWORD, api: config.DB_API_PASSWORD, zero: config.DB_ZERO_PASSWORD, auth: config.DB_AUTH_PASSWORD });
      await ensureDatabase(superuser, config.DB_NAME);
      await prepareZeroShard(superuser, config.DB_NAME, config.ZERO_APP_ID);
      adminUrl = withDatabase(superuser, config.DB_NAME);
      ownerUrl = withCredentials(adminUrl, ROLES.owner, config.DB_OWNER_PASSWORD);
      apiUrl = withCredentials(adminUrl, ROLES.api, config.DB_API_PASSWORD);
      zeroUrl = withCredentials(adminUrl, ROLES.zero, config.DB_ZERO_PASSWORD);
      authUrl = withCredentials(adminUrl, ROLES.auth, config.DB_AUTH_PASSWORD);
    } else {
      ownerUrl = config.DATABASE_URL;
      apiUrl = config.APP_DATABASE_URL ?? withCredentials(ownerUrl, ROLES.api, config.DB_API_PASSWORD);
      zeroUrl = config.ZERO_UPSTREAM_DB ?? withCredentials(ownerUrl, ROLES.zero, config.DB_ZERO_PASSWORD);
      authUrl = config.AUTH_DATABASE_URL ?? withCredentials(ownerUrl, ROLES.auth, config.DB_AUTH_PASSWORD);
    }

    // 2. Schema, then the demo or fixture data.
    const applied = await migrate(ownerUrl);
    for (const name of applied) say('db', `applied ${name}`);
    if (options.seed !== undefined) {
      if (adminUrl === null) throw new Error('seeding needs DATABASE_ADMIN_URL (a role that bypasses RLS)');
      const adminSql = postgres(adminUrl, { max: 2, onnotice: () => undefined });
      try {
        await options.seed(adminSql);
      } finally {
        await adminSql.end();
      }
    }

    // 3. The core API (zero-cache calls it, so it listens first).
    const log = createLogger(config.LOG_LEVEL);
    const apiSql = createApiPool(apiUrl);
    stops.push(() => apiSql.end({ timeout: 5 }));
    const devLookupSql = config.DEV_LOGIN && adminUrl !== null ? postgres(adminUrl, { max: 2, onnotice: () => undefined }) : null;
    if (devLookupSql !== null) stops.push(() => devLookupSql.end({ timeout: 5 }));
    const authSql = postgres(authUrl, { max: 5, onnotice: () => undefined, connection: { application_name: 'restartix-identity' } });
    stops.push(() => authSql.end({ timeout: 5 }));
    // Mail: through SMTP_URL, or into the development mailbox (an SMTP server on a free loopback port).
    const mail = await startMail(config.SMTP_URL, (line) => { say('mail', line); });
    stops.push(() => mail.stop());
    const notify = createNotifier({ sql: apiSql, transport: mail.transport, from: config.MAIL_FROM, log });
    // Listen first: the app needs its own origin (links in emails, origin checks, token issuer).
    const server = createServer();
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => { resolveListen(); });
    });
    stops.push(() => new Promise<void>((resolveClose) => {
      server.closeAllConnections();
      server.close(() => { resolveClose(); });
    }));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
    const apiBaseUrl = `http://127.0.0.1:${String(port)}`;
    // Browsers refuse passkeys on an IP address (WebAuthn needs a domain): on the loopback, the
    // platform's address is `localhost` (docs/adr/0010-passkeys.md).
    const localOrigin = `http://${LOOPBACK_HOSTS.has(config.HOST) ? 'localhost' : config.HOST}:${String(port)}`;
    const baseURL = config.PUBLIC_URL ?? localOrigin;
    const auth = createBetterAuth({
      log,
      sql: authSql,
      baseURL,
      secret: config.AUTH_TOKEN_SECRET,
      trustedOrigins: [baseURL],
      ...authMail(notify),
    });
    const app = createApp({
      log,
      apiSql,
      tokens: createTokenService({
        jwks: createRemoteJWKSet(new URL(`${apiBaseUrl}${AUTH_BASE_PATH}/jwks`)),
        issuer: baseURL,
        devSecret: config.DEV_LOGIN ? config.AUTH_TOKEN_SECRET : null,
        devTtlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
        isSessionActive: async (sessionId) =>
          (await authSql`select 1 from auth.session where id = ${sessionId} and "expiresAt" > now()`).length === 1,
      }),
      auth,
      authSql,
      notify,
      baseURL,
      zeroApiKey: config.ZERO_API_KEY,
      apiKeyEnvironment: config.NODE_ENV === 'production' ? 'live' : 'test',
      devLookupSql,
      devMailbox: mail.devMailbox,
      distDir: join(ROOT, 'dist'),
    });
    const handle = app.callback();
    server.on('request', (req, res) => { void handle(req, res); });

    // 4. zero-cache, reached by browsers only through the API's origin.
    let zeroCacheUrl = config.ZERO_CACHE_URL;
    if (zeroCacheUrl === undefined) {
      const zeroDir = join(dataDir, 'zero');
      mkdirSync(zeroDir, { recursive: true });
      const replicaFile = join(zeroDir, `${config.ZERO_APP_ID}-replica.db`);
      // zero-cache runs without superuser, so it cannot watch DDL; after a migration its replica is
      // rebuilt from scratch instead (docs/adr/0007-zero-cache-without-superuser.md).
      if (applied.length > 0) for (const suffix of ['', '-wal', '-wal2', '-shm']) rmSync(`${replicaFile}${suffix}`, { force: true });
      const start = async () => startZeroCache({
        upstreamUrl: zeroUrl,
        appId: config.ZERO_APP_ID,
        publication: SYNC_PUBLICATION,
        // It listens on the port and the next two (change streamer, metrics).
        port: config.ZERO_PORT === 0 ? await freePortRange(3) : config.ZERO_PORT,
        replicaFile,
        apiBaseUrl,
        apiKey: config.ZERO_API_KEY,
        adminPassword: config.ZERO_ADMIN_PASSWORD,
        log: (line) => { say('zero-cache', line); },
      });
      // With "any free port", another process may take one of the three between our check and
      // zero-cache's bind: try again on fresh ports. A fixed port fails at once, with the reason.
      const zeroCache = config.ZERO_PORT === 0 ? await start().catch(() => start()).catch(() => start()) : await start();
      stops.push(() => zeroCache.stop());
      zeroCacheUrl = zeroCache.url;
    }
    const detach = attachZeroGateway(server, zeroCacheUrl, log);
    stops.push(() => { detach(); return Promise.resolve(); });

    return {
      origin: localOrigin,
      port,
      databases: { admin: adminUrl, owner: ownerUrl, api: apiUrl, zero: zeroUrl },
      config,
      notify,
      mailboxUrl: mail.devMailbox === null ? null : `${localOrigin}/dev/mailbox`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
