import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal } from '../../infra/test/database.ts';
import { waitForLockWaiters } from '../../infra/test/lock-waiters.ts';
import { startTestStack, type TestStack } from '../../infra/test/test-stack.ts';
import { createHuman } from '../../seeds/factories.ts';
import { createApiKey, createServiceAccount } from '../../seeds/service-accounts.ts';
import type { AuthContext, PlatformRole } from '../../sync-rules/context.ts';
import { actAs } from '../db-scope.ts';
import { seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import type { OperatorView } from './operators.ts';

/**
 * Platform operators over /api/platform on the whole platform (dev-login tokens, the real
 * authenticator, the identity pool for second factors). A superadmin grants, changes and revokes,
 * each audited by the database. From the attacker's side: a support engineer, a clinic owner, a
 * plain member and a service account's API key; people calling the database functions or updating
 * humans directly as the runtime role, with their own context or a forged one; the last superadmin;
 * two superadmins removing each other at the same moment.
 */

// The advisory lock app_set_platform_role takes (db/migrations/0010_platform_operators.sql).
const PLATFORM_ROLES_LOCK = 7212010;

const fx = {} as Fixture;
const ids = {} as Record<'support' | 'candidate' | 'bystander', string>;
let apiKey = '';
let stack: TestStack;
const tokens = {} as Record<'root' | 'support' | 'ownerAlpha' | 'staffAlpha' | 'candidate', string>;

type Reply = { status: number; requestId: string | null; body: Record<string, unknown> & { error?: { code: string } } };

async function api(method: string, path: string, credential: string | null, body?: unknown): Promise<Reply> {
  const response = await fetch(`${stack.origin}/api/platform${path}`, {
    method,
    headers: { ...(credential === null ? {} : { authorization: `Bearer ${credential}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, requestId: response.headers.get('x-request-id'), body: text === '' ? {} : (JSON.parse(text) as Reply['body']) };
}

const list = (token: string | null) => api('GET', '/operators', token);
const grant = (token: string | null, email: string, role: PlatformRole) => api('POST', '/operators', token, { email, role });
const change = (token: string | null, principalId: string, role: PlatformRole) => api('PATCH', `/operators/${principalId}`, token, { role });
const revoke = (token: string | null, principalId: string) => api('DELETE', `/operators/${principalId}`, token);
const refusal = (reply: Reply) => ({ status: reply.status, code: reply.body.error?.code });

/** Every platform role in the database and the number of platform-role audit rows: what an attack must leave as it was. */
async function platformState() {
  const roles = await stack.admin<{ email: string; platform_role: string }[]>`
    select email, platform_role from humans where platform_role is not null order by email`;
  const [audits] = await stack.admin<{ n: number }[]>`select count(*)::int as n from audit_log where action like 'platform_role.%'`;
  return { roles: roles.map((row) => `${row.email}:${row.platform_role}`), audits: audits?.n };
}

async function roleOf(principalId: string): Promise<string | null> {
  const [row] = await stack.admin<{ platform_role: string | null }[]>`select platform_role from humans where principal_id = ${principalId}`;
  return row?.platform_role ?? null;
}

type AuditRow = { request_id: string; actor_principal_id: string; organization_id: string | null; action: string; entity_type: string; changes: unknown };
const auditsOf = (principalId: string) => stack.admin<AuditRow[]>`
  select request_id, actor_principal_id, organization_id, action, entity_type, changes from audit_log
  where entity_id = ${principalId} and action like 'platform_role.%' order by id`;

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), async (sql) => {
    await seedTwoClinics(sql, fx);
    ids.support = await createHuman(sql, { email: 'support@platform.test', name: 'Sorin Support', platformRole: 'support_engineer' });
    ids.candidate = await createHuman(sql, { email: 'candidate@platform.test', name: 'Carmen Candidat' });
    ids.bystander = await createHuman(sql, { email: 'bystander@platform.test', name: 'Bogdan Bystander' });
    // The support engineer has a real account with a second factor; everyone else only the development login.
    await sql`insert into auth."user" (id, name, email, "emailVerified", "twoFactorEnabled")
      values (${ids.support}, 'Sorin Support', 'support@platform.test', true, true)`;
    const robot = await createServiceAccount(sql, fx.alpha, { name: 'Alpha robot' });
    apiKey = (await createApiKey(sql, robot, { permissions: ['members.manage', 'service_accounts.manage', 'roles.manage'] })).key;
  });
  tokens.root = (await stack.login('root@platform.test')).token;
  tokens.support = (await stack.login('support@platform.test')).token;
  tokens.ownerAlpha = (await stack.login('owner@alpha.test', fx.alpha)).token;
  tokens.staffAlpha = (await stack.login('staff@alpha.test', fx.alpha)).token;
  tokens.candidate = (await stack.login('candidate@platform.test')).token;
});
afterAll(async () => { await stack.stop(); });

describe('a superadmin', () => {
  it('lists every operator with their role and whether a second factor is enrolled', async () => {
    const reply = await list(tokens.root);
    expect(reply.status).toBe(200);
    expect(reply.body.operators).toEqual([
      { principalId: fx.people.root, name: 'root', email: 'root@platform.test', role: 'superadmin', secondFactor: false },
      { principalId: ids.support, name: 'Sorin Support', email: 'support@platform.test', role: 'support_engineer', secondFactor: true },
    ]);
  });

  it('grants a role by address, changes it and revokes it, each with an audit row of the request', async () => {
    const granted = await grant(tokens.root, '  Candidate@Platform.TEST ', 'support_engineer');
    expect(granted.status).toBe(201);
    expect(granted.body.operator).toEqual({ principalId: ids.candidate, name: 'Carmen Candidat', email: 'candidate@platform.test', role: 'support_engineer', secondFactor: false });
    expect(await roleOf(ids.candidate)).toBe('support_engineer');
    expect(((await list(tokens.root)).body.operators as OperatorView[]).map((operator) => operator.email)).toContain('candidate@platform.test');

    const changed = await change(tokens.root, ids.candidate, 'superadmin');
    expect(changed.status).toBe(200);
    expect((changed.body.operator as OperatorView).role).toBe('superadmin');
    expect(await roleOf(ids.candidate)).toBe('superadmin');

    const revoked = await revoke(tokens.root, ids.candidate);
    expect(revoked.status).toBe(204);
    expect(await roleOf(ids.candidate)).toBeNull();

    const base = { actor_principal_id: fx.people.root, organization_id: null, entity_type: 'human' };
    expect(await auditsOf(ids.candidate)).toEqual([
      { ...base, request_id: granted.requestId, action: 'platform_role.granted', changes: { email: 'candidate@platform.test', from: null, to: 'support_engineer' } },
      { ...base, request_id: changed.requestId, action: 'platform_role.changed', changes: { email: 'candidate@platform.test', from: 'support_engineer', to: 'superadmin' } },
      { ...base, request_id: revoked.requestId, action: 'platform_role.revoked', changes: { email: 'candidate@platform.test', from: 'superadmin', to: null } },
    ]);
  });

  it('is told when no account has the address, and that an operator is changed from the list, with nothing written', async () => {
    const before = await platformState();
    expect(refusal(await grant(tokens.root, 'nobody@platform.test', 'support_engineer'))).toEqual({ status: 404, code: 'ACCOUNT_NOT_FOUND' });
    expect(refusal(await grant(tokens.root, 'support@platform.test', 'superadmin'))).toEqual({ status: 409, code: 'ALREADY_OPERATOR' });
    expect(refusal(await grant(tokens.root, 'support@platform.test', 'support_engineer'))).toEqual({ status: 409, code: 'ALREADY_OPERATOR' });
    expect(await platformState()).toEqual(before);
  });

  it('cannot change or revoke someone who is not an operator, or no one at all: NOT_FOUND, nothing written', async () => {
    const before = await platformState();
    expect(refusal(await change(tokens.root, ids.bystander, 'superadmin'))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(refusal(await revoke(tokens.root, ids.bystander))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(refusal(await change(tokens.root, '00000000-0000-4000-8000-000000000000', 'support_engineer'))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(refusal(await revoke(tokens.root, fx.locations.alphaOpen))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(await platformState()).toEqual(before);
  });

  it('gets INVALID_INPUT for an unknown role, a malformed address or id', async () => {
    expect(refusal(await api('POST', '/operators', tokens.root, { email: 'candidate@platform.test', role: 'god' }))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(refusal(await api('POST', '/operators', tokens.root, { email: 'not an address', role: 'superadmin' }))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(refusal(await api('PATCH', `/operators/${ids.support}`, tokens.root, { role: 'owner' }))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(refusal(await revoke(tokens.root, 'not-a-uuid'))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(await roleOf(ids.support)).toBe('support_engineer');
  });
});

describe('the last superadmin and one’s own role', () => {
  it('keeps the only superadmin: they can neither step down nor remove themself', async () => {
    const before = await platformState();
    expect(refusal(await revoke(tokens.root, fx.people.root))).toEqual({ status: 409, code: 'LAST_SUPERADMIN' });
    expect(refusal(await change(tokens.root, fx.people.root, 'support_engineer'))).toEqual({ status: 409, code: 'LAST_SUPERADMIN' });
    expect(await platformState()).toEqual(before);
  });

  it('lets nobody change their own role, even with a second superadmin', async () => {
    expect((await grant(tokens.root, 'bystander@platform.test', 'superadmin')).status).toBe(201);
    const second = (await stack.login('bystander@platform.test')).token;
    const before = await platformState();
    expect(refusal(await revoke(second, ids.bystander))).toEqual({ status: 403, code: 'OWN_PLATFORM_ROLE' });
    expect(refusal(await change(tokens.root, fx.people.root, 'support_engineer'))).toEqual({ status: 403, code: 'OWN_PLATFORM_ROLE' });
    expect(await platformState()).toEqual(before);
    expect((await revoke(tokens.root, ids.bystander)).status).toBe(204);
  });
});

describe('attackers over HTTP', () => {
  it('refuses a support engineer, a clinic owner, a plain member and an API key; nothing changes', async () => {
    const before = await platformState();
    for (const token of [tokens.support, tokens.ownerAlpha, tokens.staffAlpha]) {
      expect(refusal(await grant(token, 'candidate@platform.test', 'superadmin'))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(refusal(await change(token, ids.support, 'superadmin'))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(refusal(await revoke(token, fx.people.root))).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    // The support engineer cannot promote themself either.
    expect(refusal(await change(tokens.support, ids.support, 'superadmin'))).toEqual({ status: 403, code: 'FORBIDDEN' });
    // An API key is not an access token; nor is nothing.
    for (const credential of [apiKey, null]) {
      expect(refusal(await grant(credential, 'candidate@platform.test', 'superadmin'))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(refusal(await change(credential, ids.support, 'superadmin'))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(refusal(await revoke(credential, fx.people.root))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(refusal(await list(credential))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    }
    expect(await platformState()).toEqual(before);
  });

  it('lets a support engineer read the list, and nobody outside the platform', async () => {
    expect((await list(tokens.support)).status).toBe(200);
    expect(((await list(tokens.support)).body.operators as OperatorView[]).map((operator) => operator.email)).toEqual(['root@platform.test', 'support@platform.test']);
    for (const token of [tokens.ownerAlpha, tokens.staffAlpha, tokens.candidate]) expect(refusal(await list(token))).toEqual({ status: 403, code: 'FORBIDDEN' });
  });
});

describe('the database, beneath the server', () => {
  const own = (principalId: string, overrides: Partial<AuthContext> = {}): AuthContext =>
    ({ principalId, organizationId: null, membershipRole: null, platformRole: null, ...overrides });
  const people = (): [string, AuthContext][] => [
    ['plain member', own(fx.people.staffAlpha, { organizationId: fx.alpha, membershipRole: 'staff' })],
    ['clinic owner', own(fx.people.ownerAlpha, { organizationId: fx.alpha, membershipRole: 'owner' })],
    ['support engineer', own(ids.support, { platformRole: 'support_engineer' })],
    ['person without a role', own(ids.candidate)],
  ];

  it('never lets the runtime role write platform_role, not even on one’s own row', async () => {
    const before = await platformState();
    for (const [who, auth] of [...people(), ['superadmin', own(fx.people.root, { platformRole: 'superadmin' })] as [string, AuthContext]]) {
      await expect(asPrincipal(stack.api, auth, (tx) => tx`update humans set platform_role = 'superadmin' where principal_id = ${auth.principalId}`), who)
        .rejects.toThrow(/permission denied/);
      await expect(asPrincipal(stack.api, auth, (tx) => tx`update humans set platform_role = 'superadmin'`), who).rejects.toThrow(/permission denied/);
      await expect(asPrincipal(stack.api, auth, (tx) =>
        tx`insert into humans (principal_id, email, name, platform_role) values (${auth.principalId}, 'x@x.test', 'x', 'superadmin')`), who)
        .rejects.toThrow(/permission denied/);
    }
    expect(await platformState()).toEqual(before);
  });

  it('refuses the functions to anyone the database does not hold to be a superadmin, even with a forged platform_role setting', async () => {
    const before = await platformState();
    for (const [who, auth] of people()) {
      for (const context of [auth, { ...auth, platformRole: 'superadmin' as const }]) {
        await expect(asPrincipal(stack.api, context, (tx) => tx`select app_set_platform_role(${auth.principalId}, 'superadmin', 'attack')`), who)
          .rejects.toThrow(/only a superadmin/);
        await expect(asPrincipal(stack.api, context, (tx) => tx`select app_set_platform_role(${ids.candidate}, 'superadmin', 'attack')`), who)
          .rejects.toThrow(/only a superadmin/);
        await expect(asPrincipal(stack.api, context, (tx) => tx`select app_human_for_email('root@platform.test')`), who).rejects.toThrow(/only a superadmin/);
      }
    }
    // Listing needs a platform role the database agrees with.
    for (const auth of [own(fx.people.staffAlpha, { platformRole: 'support_engineer' }), own(ids.support, { platformRole: 'superadmin' })]) {
      await expect(asPrincipal(stack.api, auth, (tx) => tx`select * from app_platform_operators()`)).rejects.toThrow(/only platform operators/);
    }
    expect(await platformState()).toEqual(before);
  });

  it('lets no superadmin change their own role, and records a direct call’s change itself', async () => {
    const root = own(fx.people.root, { platformRole: 'superadmin' });
    await expect(asPrincipal(stack.api, root, (tx) => tx`select app_set_platform_role(${fx.people.root}, null, 'direct')`)).rejects.toThrow(/last superadmin/);
    // A call that bypasses the server's services still leaves its audit row, committed with the change.
    await stack.admin.begin(async (tx) => {
      await actAs(tx, root);
      await tx`select app_set_platform_role(${ids.candidate}, 'support_engineer', 'direct-call')`;
    });
    expect(await roleOf(ids.candidate)).toBe('support_engineer');
    expect(await stack.admin`select action, actor_principal_id from audit_log where entity_id = ${ids.candidate} and request_id = 'direct-call'`)
      .toEqual([{ action: 'platform_role.granted', actor_principal_id: fx.people.root }]);
    expect((await revoke(tokens.root, ids.candidate)).status).toBe(204);
  });

  it('lets only the runtime role execute the functions, and leaves the owner blind to humans outside them', async () => {
    const [grants] = await stack.admin<Record<string, boolean>[]>`select
      has_function_privilege('restartix_app', 'app_set_platform_role(uuid, text, text)', 'execute') as app_set,
      has_function_privilege('restartix_app', 'app_platform_operators()', 'execute') as app_list,
      has_function_privilege('restartix_api', 'app_set_platform_role(uuid, text, text)', 'execute') as api_set,
      has_function_privilege('restartix_auth', 'app_set_platform_role(uuid, text, text)', 'execute') as auth_set,
      has_function_privilege('restartix_zero', 'app_platform_operators()', 'execute') as zero_list,
      has_function_privilege('restartix_app', 'app_acting_platform_role()', 'execute') as app_helper`;
    expect(grants).toEqual({ app_set: true, app_list: true, api_set: false, auth_set: false, zero_list: false, app_helper: false });
    await expect(stack.api`select app_set_platform_role(${ids.candidate}, 'superadmin', 'x')`).rejects.toThrow(/permission denied/);
    // The owner-only policies admit rows only inside the functions' window, which they close.
    const owner = postgres(stack.databases.owner, { max: 1, onnotice: () => undefined });
    try {
      expect(await owner`select principal_id from humans`).toEqual([]);
      expect((await owner`update humans set platform_role = 'superadmin' where principal_id = ${ids.candidate}`).count).toBe(0);
    } finally {
      await owner.end();
    }
    expect(await roleOf(ids.candidate)).toBeNull();
  });
});

describe('two superadmins removing each other at once', () => {
  it('serialises the changes: one wins, the other is no longer a superadmin and is refused; one superadmin is left', async () => {
    expect((await grant(tokens.root, 'bystander@platform.test', 'superadmin')).status).toBe(201);
    const second = (await stack.login('bystander@platform.test')).token;
    // Hold the platform-role lock so that both requests are inside their transactions, queued on it.
    const { racing } = await stack.admin.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${PLATFORM_ROLES_LOCK})`;
      const both = Promise.all([revoke(tokens.root, ids.bystander), revoke(second, fx.people.root)]);
      await waitForLockWaiters(stack.admin, 2);
      return { racing: both };
    });
    const outcomes = (await racing).map((reply) => (reply.status === 204 ? 'revoked' : reply.body.error?.code)).sort();
    expect(outcomes).toEqual(['FORBIDDEN', 'revoked']);
    const [superadmins] = await stack.admin<{ n: number }[]>`select count(*)::int as n from humans where platform_role = 'superadmin'`;
    expect(superadmins?.n).toBe(1);
  });
});
