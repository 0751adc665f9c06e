import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { bodyParser } from '@koa/bodyparser';
import { createLocalJWKSet, SignJWT } from 'jose';
import Koa from 'koa';
import { pino } from 'pino';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../db/bootstrap.ts';
import { asPrincipal, freshDatabase, type TestDatabase } from '../../infra/test/database.ts';
import { addMembership, createHuman, createOrganization } from '../../seeds/factories.ts';
import { createCallerAuthenticator } from '../api-v1/authenticate-caller.ts';
import { apiV1Routes } from '../api-v1/router.ts';
import { createAuthenticator } from '../auth/authenticate.ts';
import { ACCESS_TOKEN_AUDIENCE } from '../auth/better-auth.ts';
import { createTokenService, type TokenService } from '../auth/tokens.ts';
import { createZeroDbProvider } from '../db.ts';
import { errorEnvelope } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { AppState } from '../request-context.ts';
import { sessionRoutes } from '../routes/session.ts';
import { zeroEndpoints } from '../routes/zero-endpoints.ts';
import { createCounterPool } from './counter-store.ts';
import { createRateLimits } from './rate-limits.ts';
import type { Rate, RateLimitSettings } from './route-classes.ts';

/**
 * The limits on real Koa servers built like server/app.ts (request context, error envelope, the
 * limits' middleware before the body parser, the real authenticators and routes) over real
 * PostgreSQL counters. Every request comes from 127.0.0.1, so one address is shared by all callers.
 */

const SECRET = 'rate-limit-test-secret-0123456789abcdef';
const ZERO_API_KEY = 'rate-limit-test-zero-key';
const PLENTY: Rate = { points: 10_000, seconds: 600 };

let db: TestDatabase;
let tokens: TokenService;
const people = { ana: '', bogdan: '' };
let org = '';
const running: (() => Promise<void>)[] = [];

type Reply = { status: number; retryAfter: string | null; body: { error?: { code: string; message: string; requestId: string; details?: Record<string, unknown> } } };

function settings(over: Partial<Record<keyof RateLimitSettings, Partial<RateLimitSettings['rest']>>> = {}): RateLimitSettings {
  const base: RateLimitSettings = {
    rest: { perAddress: PLENTY, perPrincipal: PLENTY },
    mutate: { perAddress: null, perPrincipal: PLENTY },
    telemetry: { perAddress: PLENTY, perPrincipal: PLENTY },
    files: { perAddress: PLENTY, perPrincipal: PLENTY },
  };
  for (const [name, budget] of Object.entries(over) as [keyof RateLimitSettings, Partial<RateLimitSettings['rest']>][]) base[name] = { ...base[name], ...budget };
  return base;
}

/** One core API replica: its own counter pool and memory, the shared database. */
async function startReplica(budgets: RateLimitSettings, options: { counterUrl?: string; storeTimeoutMs?: number; log?: Logger } = {}): Promise<string> {
  const log = options.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const counterSql: Sql = createCounterPool(options.counterUrl ?? db.urls.api);
  const limits = createRateLimits({ sql: counterSql, settings: budgets, storeTimeoutMs: options.storeTimeoutMs ?? 2000, trustedProxyHops: 0, log });
  const authenticate = limits.forPeople(createAuthenticator(db.api, tokens));
  const app = new Koa<AppState>({ proxy: false });
  app.use(async (ctx, next) => {
    ctx.state.request = { requestId: randomUUID(), auth: null, log };
    await next();
  });
  app.use(errorEnvelope);
  app.use(limits.middleware);
  app.use(bodyParser({ enableTypes: ['json'] }));
  for (const router of [
    sessionRoutes({ authenticate }),
    apiV1Routes({ sql: db.api, authenticateCaller: limits.forCallers(createCallerAuthenticator(db.api, authenticate)), keyEnvironment: 'test' }),
    zeroEndpoints({ authenticate, authenticateForSync: authenticate, dbProvider: createZeroDbProvider(db.api), apiKey: ZERO_API_KEY, zeroLogLevel: 'error' }),
  ]) app.use(router.routes()).use(router.allowedMethods());
  const server: Server = await new Promise((resolve) => { const listening = app.listen(0, '127.0.0.1', () => { resolve(listening); }); });
  running.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
    await counterSql.end({ timeout: 5 });
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return `http://127.0.0.1:${String(address.port)}`;
}

async function request(origin: string, method: string, path: string, token: string | null, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { 'x-api-key': ZERO_API_KEY };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${origin}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: text === '' ? {} : (JSON.parse(text) as Reply['body']) };
}

const session = (origin: string, token: string | null) => request(origin, 'GET', '/api/session', token);
const tokenOf = async (principalId: string) => (await (tokens.issue ?? (() => { throw new Error('no issuer'); }))({ principalId, organizationId: org })).token;

async function statuses(times: number, call: () => Promise<Reply>): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < times; i++) seen.push((await call()).status);
  return seen;
}

function expectRefusal(reply: Reply, windowSeconds: number): void {
  expect(reply.status).toBe(429);
  expect(reply.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.any(String) as string, requestId: expect.any(String) as string });
  // Retry-After in whole seconds, within the window, and the same number in the envelope.
  expect(reply.retryAfter).toMatch(/^\d+$/);
  const seconds = Number(reply.retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(windowSeconds);
  expect(reply.body.error?.details).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: seconds });
}

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  org = await createOrganization(db.admin, { slug: 'alpha', name: 'Alpha' });
  people.ana = await createHuman(db.admin, { email: 'ana@alpha.test', name: 'Ana' });
  people.bogdan = await createHuman(db.admin, { email: 'bogdan@alpha.test', name: 'Bogdan' });
  await addMembership(db.admin, org, people.ana, 'admin');
  await addMembership(db.admin, org, people.bogdan, 'admin');
  tokens = createTokenService({
    jwks: createLocalJWKSet({ keys: [] }),
    issuer: 'http://localhost',
    devSecret: SECRET,
    devTtlSeconds: 600,
    isSessionActive: () => Promise.resolve(false),
  });
});
beforeEach(async () => {
  // Every test starts with fresh windows.
  await db.admin`delete from rate_limit_counters`;
});
afterAll(async () => {
  for (const stop of running) await stop();
  await db.close();
});

describe('per client address', () => {
  it('refuses the request after the budget with 429, Retry-After and the error envelope, before authentication', async () => {
    const origin = await startReplica(settings({ rest: { perAddress: { points: 3, seconds: 600 } } }));
    // Unauthenticated requests spend the address's budget: that is what stops token guessing.
    expect(await statuses(3, () => session(origin, null))).toEqual([401, 401, 401]);
    expectRefusal(await session(origin, null), 600);
    // A valid token does not help: the address is spent before credentials are read.
    expectRefusal(await session(origin, await tokenOf(people.ana)), 600);
    expectRefusal(await request(origin, 'GET', '/api/v1/locations', null), 600);
  });

  it('never counts the health check', async () => {
    const origin = await startReplica(settings({ rest: { perAddress: { points: 2, seconds: 600 } } }));
    expect(await statuses(5, () => request(origin, 'GET', '/api/health', null))).toEqual([200, 200, 200, 200, 200]);
    expect(await statuses(3, () => session(origin, null))).toEqual([401, 401, 429]);
  });
});

describe('per principal', () => {
  it('gives two people behind one address a budget each', async () => {
    const origin = await startReplica(settings({ rest: { perPrincipal: { points: 2, seconds: 600 } } }));
    const ana = await tokenOf(people.ana);
    const bogdan = await tokenOf(people.bogdan);
    expect(await statuses(2, () => session(origin, ana))).toEqual([200, 200]);
    expectRefusal(await session(origin, ana), 600);
    // Same address, another person: untouched.
    expect(await statuses(2, () => session(origin, bogdan))).toEqual([200, 200]);
    expectRefusal(await session(origin, bogdan), 600);
  });

  it("cannot be spent by an attacker who only claims to be someone: forged tokens count against the address", async () => {
    const origin = await startReplica(settings({ rest: { perPrincipal: { points: 2, seconds: 600 } } }));
    const forged = await new SignJWT({ org }).setProtectedHeader({ alg: 'HS256' }).setSubject(people.ana)
      .setIssuer('restartix-core-api').setAudience(ACCESS_TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('10m')
      .sign(new TextEncoder().encode('not-the-server-secret-0123456789abcdef'));
    expect(await statuses(5, () => session(origin, forged))).toEqual([401, 401, 401, 401, 401]);
    const ana = await tokenOf(people.ana);
    expect(await statuses(3, () => session(origin, ana))).toEqual([200, 200, 429]);
  });

  it('counts a request once, though it passes two authenticators (a person on /api/v1)', async () => {
    const origin = await startReplica(settings({ rest: { perPrincipal: { points: 3, seconds: 600 } } }));
    const ana = await tokenOf(people.ana);
    expect(await statuses(4, () => request(origin, 'GET', '/api/v1/locations', ana))).toEqual([200, 200, 200, 429]);
  });

  it('gives an API key its own budget, apart from the person who made it', async () => {
    const origin = await startReplica(settings({ rest: { perPrincipal: { points: 4, seconds: 600 } } }));
    const ana = await tokenOf(people.ana);
    const account = await request(origin, 'POST', '/api/v1/service-accounts', ana, { name: 'Booking sync' });
    const accountId = (account.body as { serviceAccount?: { id: string } }).serviceAccount?.id ?? '';
    const minted = await request(origin, 'POST', `/api/v1/service-accounts/${accountId}/api-keys`, ana, { name: 'Key', permissions: ['locations.read'] });
    const key = (minted.body as { apiKey?: { key: string } }).apiKey?.key ?? '';
    expect(key).toMatch(/^rx_test_/);
    expect(await statuses(5, () => request(origin, 'GET', '/api/v1/locations', key))).toEqual([200, 200, 200, 200, 429]);
    // Ana spent two of her four.
    expect(await statuses(3, () => request(origin, 'GET', '/api/v1/locations', ana))).toEqual([200, 200, 429]);
  });

  it('limits Zero pushes per person and per push, whatever the address', async () => {
    const origin = await startReplica(settings({ mutate: { perPrincipal: { points: 2, seconds: 600 } } }));
    const ana = await tokenOf(people.ana);
    const push = (token: string) => request(origin, 'POST', '/api/zero/mutate?schema=z_0&appID=z', token, {
      clientGroupID: randomUUID(), pushVersion: 1, timestamp: Date.now(), requestID: randomUUID(), mutations: [],
    });
    expect((await push(ana)).status).not.toBe(429);
    expect((await push(ana)).status).not.toBe(429);
    expectRefusal(await push(ana), 600);
    // Pushes are not REST: Ana's REST budget is whole.
    expect((await session(origin, ana)).status).toBe(200);
  });
});

describe('shared by replicas', () => {
  it('counts across two instances on the same database', async () => {
    const budgets = settings({ rest: { perAddress: { points: 4, seconds: 600 }, perPrincipal: { points: 3, seconds: 600 } } });
    const one = await startReplica(budgets);
    const two = await startReplica(budgets);
    const ana = await tokenOf(people.ana);
    expect((await session(one, ana)).status).toBe(200);
    expect((await session(two, ana)).status).toBe(200);
    expect((await session(one, ana)).status).toBe(200);
    // Ana's third request went to replica one; her fourth, on replica two, is refused.
    expectRefusal(await session(two, ana), 600);
    // The address has spent all four, across both.
    expectRefusal(await session(one, null), 600);
    const [row] = await db.admin<{ points: number }[]>`select points from rate_limit_counters where key = 'rest/address:127.0.0.1'`;
    expect(row?.points).toBe(5);
  });
});

describe('when the counters cannot be reached', () => {
  it('fails open to an in-memory limit per replica when the database is down, and says so once', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done(); } }));
    const origin = await startReplica(settings({ rest: { perPrincipal: { points: 3, seconds: 600 } } }), {
      counterUrl: withDatabase(db.urls.api, 'no_such_database'),
      log,
    });
    const ana = await tokenOf(people.ana);
    // Served, not failed: the insurance limiter counts in this replica's memory...
    expect(await statuses(3, () => session(origin, ana))).toEqual([200, 200, 200]);
    // ...and still refuses past the budget, with the same answer.
    expectRefusal(await session(origin, ana), 600);
    expect(lines.filter((line) => line.includes('rate-limit store unavailable'))).toHaveLength(1);
  });

  it('decides in memory instead of waiting when the counters are locked', async () => {
    const origin = await startReplica(settings({ rest: { perPrincipal: { points: 2, seconds: 600 } } }), { storeTimeoutMs: 100 });
    const ana = await tokenOf(people.ana);
    const locker = await db.admin.reserve();
    try {
      await locker`begin`;
      await locker`lock table rate_limit_counters in access exclusive mode`;
      expect(await statuses(3, () => session(origin, ana))).toEqual([200, 200, 429]);
    } finally {
      await locker`rollback`;
      locker.release();
    }
  });
});

describe('the counters table', () => {
  it('is out of every request’s reach, and holds only counters', async () => {
    const origin = await startReplica(settings());
    await session(origin, await tokenOf(people.ana));
    const auth = { principalId: people.ana, organizationId: org, membershipRole: 'admin' as const, platformRole: null };
    await expect(asPrincipal(db.api, auth, (tx) => tx`select * from rate_limit_counters`)).rejects.toThrow(/permission denied/);
    // The server's login itself, inside a request's transaction (a principal set): nothing.
    const seen = await db.api.begin(async (tx) => {
      await tx`select set_config('app.principal_id', ${people.ana}, true)`;
      return tx`select key from rate_limit_counters`;
    });
    expect(seen).toEqual([]);
    const keys = (await db.admin<{ key: string }[]>`select key from rate_limit_counters order by key`).map((row) => row.key);
    expect(keys).toEqual(['rest/address:127.0.0.1', `rest/caller:principal:${people.ana}`]);
    const [table] = await db.admin<{ relpersistence: string }[]>`select relpersistence from pg_class where relname = 'rate_limit_counters'`;
    expect(table?.relpersistence).toBe('u');
  });
});
