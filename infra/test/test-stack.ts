import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Zero } from '@rocicorp/zero';
import postgres, { type Sql } from 'postgres';
import { loadConfig } from '../../server/config.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { mutators } from '../../sync-rules/mutators.ts';
import { schema } from '../../sync-rules/schema.ts';
import { startStack, type Stack } from '../stack.ts';
import { TEST_PASSWORDS, uniqueName } from './database.ts';

export type TestStack = Stack & {
  /** Bypasses RLS: fixtures and ground truth. */
  admin: Sql;
  /** The server's login role: what RLS is checked with. */
  api: Sql;
  login(email: string, organizationId?: string): Promise<Session>;
  zeroAs(session: Session): Zero;
};

export type Session = { token: string; context: AuthContext };

// Every test talks from 127.0.0.1, and the benchmark pushes thousands of mutations: rate limits
// stay out of the way unless a test sets its own through `env`.
const UNLIMITED = '1000000/60s';
const TEST_RATE_LIMITS = Object.fromEntries(['REST_PER_IP', 'REST_PER_PRINCIPAL', 'MUTATE_PER_PRINCIPAL', 'TELEMETRY_PER_IP',
  'TELEMETRY_PER_PRINCIPAL', 'FILES_PER_IP', 'FILES_PER_PRINCIPAL'].map((name) => [`RATE_LIMIT_${name}`, UNLIMITED]));

/** Where a stack's logs go instead of nowhere: the core API's structured log, and its children's lines. */
export type StackLogs = { server: NodeJS.WritableStream; lines: (source: string, line: string) => void };

/**
 * The whole platform on a fresh database of the shared test cluster: core API on a free port,
 * zero-cache with its own app id (replication slots are cluster-wide), fixtures loaded before
 * zero-cache's initial sync. `env` adds or overrides settings (e.g. low rate limits).
 */
export async function startTestStack(superuserUrl: string, seed: (admin: Sql) => Promise<void>, env: Record<string, string> = {}, logs?: StackLogs): Promise<TestStack> {
  const appId = uniqueName('z');
  const dataDir = mkdtempSync(join(resolve(import.meta.dirname, '..', '..', '.data'), 'stack-'));
  chmodSync(dataDir, 0o755);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    ZERO_PORT: '0',
    DATA_DIR: dataDir,
    DB_NAME: appId,
    ZERO_APP_ID: appId,
    DB_OWNER_PASSWORD: TEST_PASSWORDS.owner,
    DB_API_PASSWORD: TEST_PASSWORDS.api,
    DB_ZERO_PASSWORD: TEST_PASSWORDS.zero,
    DB_AUTH_PASSWORD: TEST_PASSWORDS.auth,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...TEST_RATE_LIMITS,
    ...env,
  });
  const stack = await startStack({
    config,
    superuserUrl,
    seed,
    durable: false,
    log: logs?.lines ?? ((source, line) => { if (process.env.TEST_LOG_LEVEL !== undefined) console.log(`[${source}] ${line}`); }),
    ...(logs === undefined ? {} : { logDestination: logs.server }),
  });
  const admin = postgres(stack.databases.admin ?? '', { max: 2, onnotice: () => undefined });
  const api = postgres(stack.databases.api, { max: 2, onnotice: () => undefined });
  const clients: Zero[] = [];
  return {
    ...stack,
    admin,
    api,
    async login(email, organizationId) {
      const response = await fetch(`${stack.origin}/api/dev/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(organizationId === undefined ? { email } : { email, organizationId }),
      });
      if (!response.ok) throw new Error(`login ${email}: ${String(response.status)} ${await response.text()}`);
      return (await response.json()) as Session;
    },
    zeroAs(session) {
      const zero = new Zero({
        cacheURL: `${stack.origin}/zero`,
        schema,
        mutators,
        userID: session.context.principalId,
        auth: session.token,
        context: session.context,
        kvStore: 'mem',
        logLevel: 'error',
      });
      clients.push(zero);
      return zero;
    },
    async stop() {
      await Promise.all(clients.map((zero) => zero.close()));
      await admin.end();
      await api.end();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
