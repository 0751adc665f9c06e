import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRemoteJWKSet } from 'jose';
import { join, resolve } from 'node:path';
import postgres, { type Sql } from 'postgres';
import { ensureDatabase, ensureRoles, prepareZeroShard, withCredentials, withDatabase } from '../db/bootstrap.ts';
import { ensureAuditPartitions } from '../db/audit-partitions.ts';
import { migrate } from '../db/migrate.ts';
import { ROLES, SYNC_PUBLICATION } from '../db/roles.ts';
import { createApp } from '../server/app.ts';
import { authMail } from '../server/auth/auth-mail.ts';
import { AUTH_BASE_PATH, createBetterAuth } from '../server/auth/better-auth.ts';
import { createTokenService } from '../server/auth/tokens.ts';
import type { Config } from '../server/config.ts';
import { createEncryption, type Encryption } from '../server/crypto/encryption.ts';
import { keyProviderFromConfig } from '../server/crypto/key-provider-from-config.ts';
import { createApiPool } from '../server/db.ts';
import { createLogger } from '../server/logger.ts';
import { createEventSecrets } from '../server/events/event-secrets.ts';
import { createEventHandlers } from '../server/jobs/event-handlers.ts';
import { maintenanceJobs } from '../server/jobs/maintenance-jobs.ts';
import { startJobRunner } from '../server/jobs/runner.ts';
import { createNotifier, type Notifier } from '../server/notify/notify.ts';
import { startMail } from '../server/notify/start-mail.ts';
import { filePolicyFromConfig } from '../server/files/file-policy.ts';
import type { ObjectStorage } from '../server/storage/object-storage.ts';
import { startStorage } from '../server/storage/start-storage.ts';
import { createCounterPool } from '../server/rate-limits/counter-store.ts';
import { createRateLimits } from '../server/rate-limits/rate-limits.ts';
import { rateLimitSettings } from '../server/rate-limits/route-classes.ts';
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
  /** Where the core API's structured log goes (stdout by default); the e2e run keeps it in a file. */
  logDestination?: NodeJS.WritableStream;
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
  /** Files' object storage (server/storage/, ADR 0016), and the embedded S3-API server's address when S3_ENDPOINT is unset. */
  storage: ObjectStorage;
  embeddedS3Endpoint: string | null;
  /** Field encryption under per-organisation data keys (server/crypto/, ADR 0014). */
  encryption: Encryption;
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
    // Keys first: a first start creates the local keyring; an unreadable or malformed one stops boot here.
    const keyProvider = keyProviderFromConfig(config, dataDir);

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
    for (const name of await ensureAuditPartitions(ownerUrl)) say('db', `created audit partition ${name}`);
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
    const log = createLogger(config.LOG_LEVEL, options.logDestination);
    const apiSql = createApiPool(apiUrl);
    stops.push(() => apiSql.end({ timeout: 5 }));
    // Its own small pool: a request holding an apiSql transaction may need a key, and must not wait
    // for a connection its own pool cannot give back.
    const keysSql = postgres(apiUrl, { max: 2, onnotice: () => undefined, connection: { application_name: 'restartix-keys' } });
    stops.push(() => keysSql.end({ timeout: 5 }));
    const encryption = createEncryption({
      sql: keysSql,
      provider: keyProvider,
      cache: { ttlMs: config.DATA_KEY_CACHE_TTL_SECONDS * 1000, maxEntries: config.DATA_KEY_CACHE_SIZE },
    });
    // Rate-limit counters, shared by every replica through the database (docs/adr/0018-rate-limits.md).
    const counterSql = createCounterPool(apiUrl);
    stops.push(() => counterSql.end({ timeout: 5 }));
    const rateLimits = createRateLimits({ sql: counterSql, settings: rateLimitSettings(config), storeTimeoutMs: config.RATE_LIMIT_STORE_TIMEOUT_MS, trustedProxyHops: config.TRUSTED_PROXY_HOPS, log });
    const devLookupSql = config.DEV_LOGIN && adminUrl !== null ? postgres(adminUrl, { max: 2, onnotice: () => undefined }) : null;
    if (devLookupSql !== null) stops.push(() => devLookupSql.end({ timeout: 5 }));
    const authSql = postgres(authUrl, { max: 5, onnotice: () => undefined, connection: { application_name: 'restartix-identity' } });
    stops.push(() => authSql.end({ timeout: 5 }));
    // Mail: through SMTP_URL, or into the development mailbox (an SMTP server on a free loopback port).
    const mail = await startMail(config.SMTP_URL, (line) => { say('mail', line); });
    stops.push(() => mail.stop());
    const notify = createNotifier({ sql: apiSql, transport: mail.transport, from: config.MAIL_FROM, log });
    // Outbox events' secrets (links in mail), encrypted until sent (server/events/event-secrets.ts).
    const eventSecrets = createEventSecrets({ encryption, identitySecret: config.AUTH_TOKEN_SECRET });
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
    // Object storage: S3 at S3_ENDPOINT, or the embedded S3-API server on the loopback, to which the
    // platform's pages upload and from which they download directly (docs/adr/0016-files-and-object-storage.md).
    const storage = await startStorage(config, dataDir, [...new Set([baseURL, localOrigin])], (line) => { say('s3', line); });
    stops.push(() => storage.stop());
    const auth = createBetterAuth({
      log,
      sql: authSql,
      baseURL,
      secret: config.AUTH_TOKEN_SECRET,
      trustedOrigins: [baseURL],
      // Recorded in the outbox; the job runner below sends them (docs/adr/0015-outbox-and-jobs.md).
      ...authMail(apiSql, eventSecrets),
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
      eventSecrets,
      baseURL,
      zeroApiKey: config.ZERO_API_KEY,
      apiKeyEnvironment: config.NODE_ENV === 'production' ? 'live' : 'test',
      devLookupSql,
      devMailbox: mail.devMailbox,
      distDir: join(ROOT, 'dist'),
      trustedProxyHops: config.TRUSTED_PROXY_HOPS,
      files: { storage: storage.storage, policy: filePolicyFromConfig(config) },
      patientRetentionDays: config.PATIENT_RETENTION_DAYS,
      rateLimits,
      encryption,
    });
    const handle = app.callback();
    server.on('request', (req, res) => { void handle(req, res); });
    // Jobs: the outbox's handlers (mail) and the maintenance schedule, on the same database, as the
    // server's login (docs/adr/0015-outbox-and-jobs.md). Stopped before mail and the pools it uses.
    if (config.JOB_CONCURRENCY > 0) {
      const jobs = await startJobRunner({
        databaseUrl: apiUrl,
        handlers: createEventHandlers({ notify, baseURL }),
        secrets: eventSecrets,
        recurring: maintenanceJobs({ files: { storage: storage.storage, retentionDays: config.FILES_RETENTION_DAYS }, patientRetentionDays: config.PATIENT_RETENTION_DAYS }),
        log,
        concurrency: config.JOB_CONCURRENCY,
      });
      stops.push(() => jobs.stop());
    }

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
      storage: storage.storage,
      embeddedS3Endpoint: storage.embeddedEndpoint,
      encryption,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
