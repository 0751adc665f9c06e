import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startKoaHarness, type KoaHarness } from '../../infra/test/koa-harness.ts';
import { hashApiKey } from '../api-keys/key-format.ts';
import { createCallerAuthenticator } from './authenticate-caller.ts';
import { apiV1Routes } from './router.ts';
import { call, seedTwoClinics, type Fixture } from './test-fixture.ts';

/**
 * Service accounts and API keys managed over /api/v1, from the attacker's side: staff, the other
 * clinic's admin, and API keys trying to manage keys.
 */

type KeyReply = { id: string; key: string; prefix: string; name: string; permissions: string[]; lastUsedAt: string | null; revokedAt: string | null };

const fx = {} as Fixture;
let harness: KoaHarness;
const tokens = {} as Record<'ownerAlpha' | 'adminAlpha' | 'staffAlpha' | 'specialistAlpha' | 'billingAlpha' | 'adminBeta' | 'root', string>;
let alphaAccount = '';
let alphaKey = {} as KeyReply;

const createAccount = (token: string, name = 'Integration') => call(harness, 'POST', '/api/v1/service-accounts', token, { name });
const createKey = (token: string, accountId: string, body: Record<string, unknown> = { name: 'Booking sync', permissions: ['locations.read'] }) =>
  call(harness, 'POST', `/api/v1/service-accounts/${accountId}/api-keys`, token, body);
const listKeys = (token: string, accountId: string) => call(harness, 'GET', `/api/v1/service-accounts/${accountId}/api-keys`, token);
const revokeKey = (token: string, keyId: string) => call(harness, 'DELETE', `/api/v1/api-keys/${keyId}`, token);
const auditCount = async (entityId: string, action: string) =>
  Number((await harness.db.admin<{ n: number }[]>`select count(*)::int as n from audit_log where entity_id = ${entityId} and action = ${action}`)[0]?.n);

beforeAll(async () => {
  harness = await startKoaHarness(inject('pgSuperuserUrl'), (sql) => seedTwoClinics(sql, fx), ({ sql, authenticate }) => [
    apiV1Routes({ sql, authenticateCaller: createCallerAuthenticator(sql, authenticate), keyEnvironment: 'test' }),
  ]);
  tokens.ownerAlpha = harness.tokenFor(fx.people.ownerAlpha, fx.alpha);
  tokens.adminAlpha = harness.tokenFor(fx.people.adminAlpha, fx.alpha);
  tokens.staffAlpha = harness.tokenFor(fx.people.staffAlpha, fx.alpha);
  tokens.specialistAlpha = harness.tokenFor(fx.people.specialistAlpha, fx.alpha);
  tokens.billingAlpha = harness.tokenFor(fx.people.billingAlpha, fx.alpha);
  tokens.adminBeta = harness.tokenFor(fx.people.adminBeta, fx.beta);
  tokens.root = harness.tokenFor(fx.people.root, null);
  const account = await createAccount(tokens.adminAlpha, 'Alpha booking sync');
  alphaAccount = (account.body.serviceAccount as { id: string }).id;
  alphaKey = (await createKey(tokens.adminAlpha, alphaAccount)).body.apiKey as KeyReply;
});
afterAll(async () => { await harness.stop(); });

describe('an owner or admin', () => {
  it('creates a service account: a principal of kind service_account in their clinic, audited', async () => {
    const reply = await createAccount(tokens.ownerAlpha, 'Accounting export');
    expect(reply.status).toBe(201);
    const account = reply.body.serviceAccount as { id: string; organizationId: string; name: string };
    expect(account).toMatchObject({ organizationId: fx.alpha, name: 'Accounting export' });
    const [principal] = await harness.db.admin<{ kind: string }[]>`select kind from principals where id = ${account.id}`;
    expect(principal?.kind).toBe('service_account');
    const [row] = await harness.db.admin<{ created_by: string }[]>`select created_by from service_accounts where principal_id = ${account.id}`;
    expect(row?.created_by).toBe(fx.people.ownerAlpha);
    expect(await auditCount(account.id, 'service_account.created')).toBe(1);
  });

  it('gets the whole key once; the list shows its prefix and never the key again', async () => {
    const reply = await createKey(tokens.adminAlpha, alphaAccount, { name: 'Once', permissions: ['locations.read', 'members.read'] });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const created = reply.body.apiKey as KeyReply;
    expect(created.key).toMatch(/^rx_test_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
    expect(created.permissions).toEqual(['locations.read', 'members.read']);
    const listed = await listKeys(tokens.adminAlpha, alphaAccount);
    expect(listed.status).toBe(200);
    const entry = (listed.body.apiKeys as KeyReply[]).find((key) => key.id === created.id);
    expect(entry).toMatchObject({ prefix: created.prefix, name: 'Once', permissions: ['locations.read', 'members.read'], lastUsedAt: null, revokedAt: null });
    expect(entry).not.toHaveProperty('key');
    expect(entry).not.toHaveProperty('secretHash');
    const secret = created.key.slice(created.prefix.length + 1);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(await auditCount(created.id, 'api_key.created')).toBe(1);
  });

  it('leaves no plaintext key in the database: only the prefix and the SHA-256 of the key', async () => {
    const created = (await createKey(tokens.adminAlpha, alphaAccount)).body.apiKey as KeyReply;
    const secret = created.key.slice(created.prefix.length + 1);
    for (const table of ['api_keys', 'audit_log', 'service_accounts']) {
      const rows = await harness.db.admin.unsafe<{ row: string }[]>(`select t::text as row from ${table} t`);
      for (const { row } of rows) expect(row, table).not.toContain(secret);
    }
    const [row] = await harness.db.admin<{ secret_hash: Buffer; prefix: string }[]>`select secret_hash, prefix from api_keys where id = ${created.id}`;
    expect(row?.prefix).toBe(created.prefix);
    expect(row?.secret_hash.equals(hashApiKey(created.key))).toBe(true);
  });

  it('revokes a key for good: once audited, again harmlessly', async () => {
    const created = (await createKey(tokens.adminAlpha, alphaAccount)).body.apiKey as KeyReply;
    expect((await revokeKey(tokens.ownerAlpha, created.id)).status).toBe(204);
    expect((await revokeKey(tokens.adminAlpha, created.id)).status).toBe(204);
    const entry = ((await listKeys(tokens.adminAlpha, alphaAccount)).body.apiKeys as KeyReply[]).find((key) => key.id === created.id);
    expect(entry?.revokedAt).toEqual(expect.any(String));
    expect(await auditCount(created.id, 'api_key.revoked')).toBe(1);
    expect((await call(harness, 'GET', '/api/v1/locations', created.key)).status).toBe(401);
  });

  it('cannot grant what the catalogue does not let a key hold', async () => {
    for (const permissions of [[], ['organizations.create'], ['organizations.read_all'], ['service_accounts.manage'], ['locations.read,members.read']]) {
      const reply = await createKey(tokens.adminAlpha, alphaAccount, { name: 'Too much', permissions });
      expect(reply.status, JSON.stringify(permissions)).toBe(400);
      expect(reply.body.error?.code).toBe('INVALID_INPUT');
    }
    const past = await createKey(tokens.adminAlpha, alphaAccount, { name: 'Stale', permissions: ['locations.read'], expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(past.status).toBe(400);
  });
});

describe('a member who is not an owner or admin', () => {
  it('can neither create nor see nor revoke service accounts and keys', async () => {
    for (const token of [tokens.staffAlpha, tokens.specialistAlpha, tokens.billingAlpha]) {
      const attempts = [
        await createAccount(token),
        await createKey(token, alphaAccount),
        await listKeys(token, alphaAccount),
        await revokeKey(token, alphaKey.id),
      ];
      for (const reply of attempts) {
        expect(reply.status).toBe(403);
        expect(reply.body.error?.code).toBe('FORBIDDEN');
      }
    }
    expect((await call(harness, 'GET', '/api/v1/locations', alphaKey.key)).status).toBe(200);
  });

  it('and neither can a platform operator outside the clinic', async () => {
    expect((await createAccount(tokens.root)).status).toBe(403);
    expect((await listKeys(tokens.root, alphaAccount)).status).toBe(403);
  });
});

describe("the other clinic's admin", () => {
  it("gets 404 for this clinic's service account and key, exactly as for ids that do not exist", async () => {
    const pairs = [
      [await createKey(tokens.adminBeta, alphaAccount), await createKey(tokens.adminBeta, randomUUID())],
      [await listKeys(tokens.adminBeta, alphaAccount), await listKeys(tokens.adminBeta, randomUUID())],
      [await revokeKey(tokens.adminBeta, alphaKey.id), await revokeKey(tokens.adminBeta, randomUUID())],
    ];
    for (const [foreign, missing] of pairs) {
      expect(foreign?.status).toBe(404);
      expect({ ...foreign?.body.error, requestId: null }).toEqual({ ...missing?.body.error, requestId: null });
    }
    const [row] = await harness.db.admin<{ revoked_at: Date | null }[]>`select revoked_at from api_keys where id = ${alphaKey.id}`;
    expect(row?.revoked_at).toBeNull();
    expect((await call(harness, 'GET', '/api/v1/locations', alphaKey.key)).status).toBe(200);
  });
});

describe('an API key', () => {
  it('can never manage service accounts or keys, not even its own', async () => {
    const everything = (await createKey(tokens.adminAlpha, alphaAccount, { name: 'Everything', permissions: ['locations.read', 'locations.manage', 'members.read'] })).body.apiKey as KeyReply;
    const attempts = [
      await createAccount(everything.key),
      await createKey(everything.key, alphaAccount),
      await listKeys(everything.key, alphaAccount),
      await revokeKey(everything.key, everything.id),
      await revokeKey(everything.key, alphaKey.id),
    ];
    for (const reply of attempts) {
      expect(reply.status).toBe(403);
      expect(reply.body.error?.code).toBe('FORBIDDEN');
    }
    const [count] = await harness.db.admin<{ n: number }[]>`select count(*)::int as n from api_keys where service_account_id = ${alphaAccount} and revoked_at is not null and id in (${everything.id}, ${alphaKey.id})`;
    expect(count?.n).toBe(0);
  });
});
