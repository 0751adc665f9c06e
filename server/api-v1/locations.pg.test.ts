import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startKoaHarness, type KoaHarness } from '../../infra/test/koa-harness.ts';
import { LAST_USED_RESOLUTION_SECONDS } from '../api-keys/verify-api-key.ts';
import { createCallerAuthenticator } from './authenticate-caller.ts';
import { apiV1Routes } from './router.ts';
import { call, seedTwoClinics, type Fixture } from './test-fixture.ts';

/**
 * GET /api/v1/locations[/:id] from the attacker's side: API keys of the wrong clinic, without the
 * permission, revoked, expired or forged, and people with access tokens.
 */

const fx = {} as Fixture;
let harness: KoaHarness;
const tokens = {} as Record<'adminAlpha' | 'adminBeta' | 'staffAlpha' | 'staffBeta' | 'root', string>;
const keys = {} as Record<'alphaReader' | 'alphaMembersOnly' | 'betaReader', { id: string; key: string; prefix: string }>;
let alphaAccount = '';

async function newKey(token: string, serviceAccountId: string, permissions: string[], expiresAt?: string) {
  const reply = await call(harness, 'POST', `/api/v1/service-accounts/${serviceAccountId}/api-keys`, token, { name: `key ${permissions.join(' ')}`, permissions, ...(expiresAt === undefined ? {} : { expiresAt }) });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.apiKey as { id: string; key: string; prefix: string };
}

async function newAccount(token: string, name: string): Promise<string> {
  const reply = await call(harness, 'POST', '/api/v1/service-accounts', token, { name });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return (reply.body.serviceAccount as { id: string }).id;
}

const ids = (reply: { body: Record<string, unknown> }) => ((reply.body.locations ?? []) as { id: string }[]).map((row) => row.id).sort();

beforeAll(async () => {
  harness = await startKoaHarness(inject('pgSuperuserUrl'), (sql) => seedTwoClinics(sql, fx), ({ sql, authenticate }) => [
    apiV1Routes({ sql, authenticateCaller: createCallerAuthenticator(sql, authenticate), keyEnvironment: 'test' }),
  ]);
  tokens.adminAlpha = harness.tokenFor(fx.people.adminAlpha, fx.alpha);
  tokens.adminBeta = harness.tokenFor(fx.people.adminBeta, fx.beta);
  tokens.staffAlpha = harness.tokenFor(fx.people.staffAlpha, fx.alpha);
  tokens.staffBeta = harness.tokenFor(fx.people.staffBeta, fx.beta);
  tokens.root = harness.tokenFor(fx.people.root, null);
  alphaAccount = await newAccount(tokens.adminAlpha, 'Alpha booking sync');
  const betaAccount = await newAccount(tokens.adminBeta, 'Beta booking sync');
  keys.alphaReader = await newKey(tokens.adminAlpha, alphaAccount, ['locations.read']);
  keys.alphaMembersOnly = await newKey(tokens.adminAlpha, alphaAccount, ['members.read']);
  keys.betaReader = await newKey(tokens.adminBeta, betaAccount, ['locations.read']);
});
afterAll(async () => { await harness.stop(); });

describe('an API key', () => {
  it("lists its own clinic's locations and never another's", async () => {
    const alpha = await call(harness, 'GET', '/api/v1/locations', keys.alphaReader.key);
    expect(alpha.status).toBe(200);
    expect(ids(alpha)).toEqual([fx.locations.alphaOpen, fx.locations.alphaPaused, fx.locations.alphaShut].sort());
    const beta = await call(harness, 'GET', '/api/v1/locations', keys.betaReader.key);
    expect(ids(beta)).toEqual([fx.locations.betaOpen]);
    expect(JSON.stringify(beta.body)).not.toContain(fx.alpha);
  });

  it("answers 404 for another clinic's location id, exactly as for an id that does not exist", async () => {
    const foreign = await call(harness, 'GET', `/api/v1/locations/${fx.locations.alphaOpen}`, keys.betaReader.key);
    const missing = await call(harness, 'GET', `/api/v1/locations/${randomUUID()}`, keys.betaReader.key);
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect({ ...foreign.body.error, requestId: null }).toEqual({ ...missing.body.error, requestId: null });
    const own = await call(harness, 'GET', `/api/v1/locations/${fx.locations.betaOpen}`, keys.betaReader.key);
    expect(own.status).toBe(200);
    expect(own.body.location).toMatchObject({ id: fx.locations.betaOpen, name: 'Beta open', status: 'active', closedAt: null });
  });

  it('without locations.read gets 403, for its own ids and foreign ones alike', async () => {
    for (const path of ['/api/v1/locations', `/api/v1/locations/${fx.locations.alphaOpen}`, `/api/v1/locations/${fx.locations.betaOpen}`]) {
      const reply = await call(harness, 'GET', path, keys.alphaMembersOnly.key);
      expect(reply.status, path).toBe(403);
      expect(reply.body.error?.code).toBe('FORBIDDEN');
    }
  });

  it('filters by status and refuses an unknown one', async () => {
    const active = await call(harness, 'GET', '/api/v1/locations?status=closed', keys.alphaReader.key);
    expect(ids(active)).toEqual([fx.locations.alphaShut]);
    const bogus = await call(harness, 'GET', '/api/v1/locations?status=deleted', keys.alphaReader.key);
    expect(bogus.status).toBe(400);
    expect(bogus.body.error?.code).toBe('INVALID_INPUT');
  });
});

describe('a key that no longer works, or never did', () => {
  const expectRefused = async (credential: string, label: string) => {
    const reply = await call(harness, 'GET', '/api/v1/locations', credential);
    expect(reply.status, label).toBe(401);
    expect(reply.body.error?.code, label).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(reply.body), label).not.toMatch(/api_keys|api_key_for_prefix|permission denied|violat/);
    expect(reply.body).not.toHaveProperty('locations');
  };

  it('is refused once revoked, from the very next request', async () => {
    const key = await newKey(tokens.adminAlpha, alphaAccount, ['locations.read']);
    expect((await call(harness, 'GET', '/api/v1/locations', key.key)).status).toBe(200);
    expect((await call(harness, 'DELETE', `/api/v1/api-keys/${key.id}`, tokens.adminAlpha)).status).toBe(204);
    await expectRefused(key.key, 'revoked');
  });

  it('is refused once expired', async () => {
    const key = await newKey(tokens.adminAlpha, alphaAccount, ['locations.read'], new Date(Date.now() + 3600_000).toISOString());
    expect((await call(harness, 'GET', '/api/v1/locations', key.key)).status).toBe(200);
    await harness.db.admin`update api_keys set created_at = now() - interval '2 hours', expires_at = now() - interval '1 second' where id = ${key.id}`;
    await expectRefused(key.key, 'expired');
  });

  it('is refused while its service account is disabled', async () => {
    const account = await newAccount(tokens.adminAlpha, 'Soon disabled');
    const key = await newKey(tokens.adminAlpha, account, ['locations.read']);
    await harness.db.admin`update service_accounts set disabled_at = now() where principal_id = ${account}`;
    await expectRefused(key.key, 'disabled');
  });

  it('is refused when forged: a real prefix with a wrong secret, an unknown prefix, a malformed key', async () => {
    const secret = keys.alphaReader.key.slice(keys.alphaReader.prefix.length + 1);
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    await expectRefused(`${keys.alphaReader.prefix}_${flipped}`, 'wrong secret');
    await expectRefused(`rx_test_00000000_${secret}`, 'unknown prefix');
    await expectRefused(`${keys.betaReader.prefix}_${secret}`, "another key's prefix");
    await expectRefused('rx_test_abc', 'malformed');
    await expectRefused(keys.alphaReader.key.replace('rx_test_', 'rx_live_'), 'other environment');
  });
});

describe('last_used_at', () => {
  const lastUsed = async (id: string) =>
    (await harness.db.admin<{ last_used_at: Date | null }[]>`select last_used_at from api_keys where id = ${id}`)[0]?.last_used_at ?? null;

  it('is stamped on use, at most once a minute', async () => {
    const key = await newKey(tokens.adminAlpha, alphaAccount, ['locations.read']);
    expect(await lastUsed(key.id)).toBeNull();
    await call(harness, 'GET', '/api/v1/locations', key.key);
    const first = await lastUsed(key.id);
    expect(first).toBeInstanceOf(Date);
    await call(harness, 'GET', '/api/v1/locations', key.key);
    expect(await lastUsed(key.id)).toEqual(first);
    // A minute later (moved back rather than waited for), the next use stamps it again.
    await harness.db.admin`update api_keys set last_used_at = now() - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS + 5}) where id = ${key.id}`;
    const before = await lastUsed(key.id);
    await call(harness, 'GET', '/api/v1/locations', key.key);
    expect((await lastUsed(key.id))?.getTime()).toBeGreaterThan(before?.getTime() ?? Infinity);
  });

  it('is not stamped by a refused key', async () => {
    const key = await newKey(tokens.adminAlpha, alphaAccount, ['members.read']);
    await call(harness, 'DELETE', `/api/v1/api-keys/${key.id}`, tokens.adminAlpha);
    await call(harness, 'GET', '/api/v1/locations', key.key);
    expect(await lastUsed(key.id)).toBeNull();
  });
});

describe('a person with an access token', () => {
  it("lists their clinic's locations, staff included", async () => {
    const reply = await call(harness, 'GET', '/api/v1/locations', tokens.staffAlpha);
    expect(ids(reply)).toEqual([fx.locations.alphaOpen, fx.locations.alphaPaused, fx.locations.alphaShut].sort());
  });

  it("gets 404 for another clinic's location", async () => {
    const reply = await call(harness, 'GET', `/api/v1/locations/${fx.locations.alphaOpen}`, tokens.staffBeta);
    expect(reply.status).toBe(404);
    expect(reply.body.error?.code).toBe('NOT_FOUND');
  });

  it('gets 403 outside any clinic, and 401 without a valid token', async () => {
    expect((await call(harness, 'GET', '/api/v1/locations', tokens.root)).status).toBe(403);
    expect((await call(harness, 'GET', '/api/v1/locations', null)).status).toBe(401);
    expect((await call(harness, 'GET', '/api/v1/locations', 'not-a-token')).status).toBe(401);
  });
});
