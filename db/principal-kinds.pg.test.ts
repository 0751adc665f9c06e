import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal, freshDatabase, type TestDatabase } from '../infra/test/database.ts';
import { addMembership, createHuman, createLocation, createOrganization } from '../seeds/factories.ts';
import { createAgent, createApiKey, createServiceAccount } from '../seeds/service-accounts.ts';
import { API_KEY_SETTING } from '../server/api-keys/caller.ts';
import type { AuthContext } from '../sync-rules/context.ts';
import { ROLES } from './roles.ts';

/**
 * 0002_principal_kinds.sql from the database's side: kinds stay consistent whoever writes, and the
 * key-aware policies and the prefix lookup admit exactly what they claim to.
 */

let db: TestDatabase;
const ids = {} as {
  alpha: string; beta: string; human: string; admin: string;
  alphaOpen: string; alphaShut: string; betaOpen: string;
  robot: string; betaRobot: string; disabledRobot: string;
};
const keys = {} as Record<'reader' | 'noRead' | 'revoked' | 'expired' | 'disabled' | 'beta', { id: string; key: string; prefix: string }>;

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  const sql = db.admin;
  ids.alpha = await createOrganization(sql, { slug: 'alpha', name: 'Alpha' });
  ids.beta = await createOrganization(sql, { slug: 'beta', name: 'Beta' });
  ids.human = await createHuman(sql, { email: 'someone@alpha.test', name: 'Someone' });
  ids.admin = await createHuman(sql, { email: 'admin@alpha.test', name: 'Admin' });
  await addMembership(sql, ids.alpha, ids.admin, 'admin');
  ids.alphaOpen = await createLocation(sql, ids.alpha, { slug: 'open', name: 'Alpha open' });
  ids.alphaShut = await createLocation(sql, ids.alpha, { slug: 'shut', name: 'Alpha shut', status: 'closed' });
  ids.betaOpen = await createLocation(sql, ids.beta, { slug: 'open', name: 'Beta open' });
  ids.robot = await createServiceAccount(sql, ids.alpha, { name: 'Robot', createdBy: ids.admin });
  ids.betaRobot = await createServiceAccount(sql, ids.beta, { name: 'Beta robot' });
  ids.disabledRobot = await createServiceAccount(sql, ids.alpha, { name: 'Off', disabled: true });
  keys.reader = await createApiKey(sql, ids.robot, { permissions: ['locations.read'] });
  keys.noRead = await createApiKey(sql, ids.robot, { permissions: ['members.read'] });
  keys.revoked = await createApiKey(sql, ids.robot, { permissions: ['locations.read'] });
  await sql`update api_keys set revoked_at = now() where id = ${keys.revoked.id}`;
  keys.expired = await createApiKey(sql, ids.robot, { permissions: ['locations.read'] });
  await sql`update api_keys set created_at = now() - interval '2 days', expires_at = now() - interval '1 day' where id = ${keys.expired.id}`;
  keys.disabled = await createApiKey(sql, ids.disabledRobot, { permissions: ['locations.read'] });
  keys.beta = await createApiKey(sql, ids.betaRobot, { permissions: ['locations.read'] });
});
afterAll(async () => { await db.close(); });

const kindOf = async (id: string) => (await db.admin<{ kind: string }[]>`select kind from principals where id = ${id}`)[0]?.kind;

describe('principals.kind', () => {
  it('matches the table a principal is described in, and cannot change under it', async () => {
    expect(await kindOf(ids.human)).toBe('human');
    expect(await kindOf(ids.robot)).toBe('service_account');
    // A service account row for a human's principal, and a human row for a service account's.
    await expect(db.admin`insert into service_accounts (principal_id, organization_id, name)
      values (${ids.human}, ${ids.alpha}, 'Impostor')`).rejects.toThrow(/service_accounts_principal_kind_fkey/);
    await expect(db.admin`insert into humans (principal_id, email, name)
      values (${ids.robot}, 'robot@alpha.test', 'Robot')`).rejects.toThrow(/humans_principal_kind_fkey/);
    // Nor can a kind column be set to something else, or the principal's kind be changed.
    await expect(db.admin`insert into service_accounts (principal_id, kind, organization_id, name)
      values (${ids.human}, 'human', ${ids.alpha}, 'Impostor')`).rejects.toThrow(/service_accounts_kind_check/);
    await expect(db.admin`update principals set kind = 'agent' where id = ${ids.human}`).rejects.toThrow(/humans_principal_kind_fkey/);
    await expect(db.admin`update principals set kind = 'human' where id = ${ids.robot}`).rejects.toThrow(/service_accounts_principal_kind_fkey/);
    expect(await kindOf(ids.human)).toBe('human');
  });

  it('keeps a principal in one kind table at most', async () => {
    const agentId = await createAgent(db.admin, { name: 'Helper', ownerPrincipalId: ids.human });
    expect(await kindOf(agentId)).toBe('agent');
    await expect(db.admin`insert into service_accounts (principal_id, organization_id, name)
      values (${agentId}, ${ids.alpha}, 'Both')`).rejects.toThrow(/service_accounts_principal_kind_fkey/);
  });
});

describe('agents', () => {
  it('must be owned by a human', async () => {
    await expect(createAgent(db.admin, { name: 'Owned by a robot', ownerPrincipalId: ids.robot })).rejects.toThrow(/agents_owner_is_human/);
    const agentId = await createAgent(db.admin, { name: 'Owned by a person', ownerPrincipalId: ids.human, organizationId: ids.alpha });
    await expect(createAgent(db.admin, { name: 'Owned by an agent', ownerPrincipalId: agentId })).rejects.toThrow(/agents_owner_is_human/);
    await expect(createAgent(db.admin, { name: 'Owned by nobody', ownerPrincipalId: randomUUID() })).rejects.toThrow(/agents_owner_is_human/);
  });

  it('are invisible to the runtime role until a feature needs them', async () => {
    const owner: AuthContext = { principalId: ids.human, organizationId: null, membershipRole: null, platformRole: null };
    await expect(asPrincipal(db.api, owner, (tx) => tx`select * from agents`)).rejects.toThrow(/permission denied/);
  });
});

describe('humans.time_zone', () => {
  it("defaults to Europe/Bucharest and takes IANA-shaped names only", async () => {
    const [row] = await db.admin<{ time_zone: string }[]>`select time_zone from humans where principal_id = ${ids.human}`;
    expect(row?.time_zone).toBe('Europe/Bucharest');
    for (const zone of ['UTC', 'America/Argentina/Buenos_Aires', 'Etc/GMT+3', 'America/Port-au-Prince']) {
      await db.admin`update humans set time_zone = ${zone} where principal_id = ${ids.human}`;
    }
    for (const zone of ['', 'Europe/', '/Bucharest', 'Europe Bucharest', "Europe/Bucharest'; --", 'a/b/c/d']) {
      await expect(db.admin`update humans set time_zone = ${zone} where principal_id = ${ids.human}`, zone).rejects.toThrow(/humans_time_zone_shape/);
    }
  });
});

describe('api_keys', () => {
  it('keeps no plaintext key and hides the hash from every request, owners included', async () => {
    const rows = await db.admin<{ row: string }[]>`select k::text as row from api_keys k`;
    const secret = keys.reader.key.slice(keys.reader.prefix.length + 1);
    for (const { row } of rows) {
      expect(row).not.toContain(keys.reader.key);
      expect(row).not.toContain(secret);
    }
    const admin: AuthContext = { principalId: ids.admin, organizationId: ids.alpha, membershipRole: 'admin', platformRole: null };
    expect((await asPrincipal(db.api, admin, (tx) => tx`select prefix from api_keys where service_account_id = ${ids.robot}`)).length).toBe(4);
    await expect(asPrincipal(db.api, admin, (tx) => tx`select secret_hash from api_keys`)).rejects.toThrow(/permission denied/);
  });

  it('makes revocation final and stamps it with the database clock', async () => {
    const key = await createApiKey(db.admin, ids.robot, { permissions: ['locations.read'] });
    await db.admin`update api_keys set revoked_at = '2000-01-01' where id = ${key.id}`;
    const [row] = await db.admin<{ revoked_at: Date }[]>`select revoked_at from api_keys where id = ${key.id}`;
    expect(row?.revoked_at.getFullYear()).toBeGreaterThan(2000);
    await expect(db.admin`update api_keys set revoked_at = null where id = ${key.id}`).rejects.toThrow(/revocation is final/);
  });

  it('refuses malformed permissions and a key of one clinic for another clinic', async () => {
    await expect(createApiKey(db.admin, ids.robot, { permissions: [] })).rejects.toThrow(/api_keys_permissions_shape/);
    await expect(createApiKey(db.admin, ids.robot, { permissions: ['locations.read,members.read' as never] })).rejects.toThrow(/api_keys_permissions_shape/);
    await expect(db.admin`insert into api_keys (service_account_id, organization_id, name, prefix, secret_hash, permissions)
      values (${ids.robot}, ${ids.beta}, 'x', 'rx_test_00000000', ${Buffer.alloc(32)}, ${db.admin.array(['locations.read'])})`)
      .rejects.toThrow(/api_keys_service_account_fkey/);
  });
});

describe('api_key_for_prefix', () => {
  const lookup = (prefix: string) => db.api.begin(async (tx) => {
    await tx.unsafe(`set local role ${ROLES.runtime}`);
    const rows = await tx<{ api_key_id: string; state: string; secret_hash: Buffer }[]>`select * from api_key_for_prefix(${prefix})`;
    const [after] = await tx<{ value: string | null }[]>`select current_setting('app.api_key_lookup', true) as value`;
    return { rows, after: after?.value ?? null };
  });

  it('returns the one key with that prefix, and its state', async () => {
    const found = await lookup(keys.reader.prefix);
    expect(found.rows.map((row) => [row.api_key_id, row.state])).toEqual([[keys.reader.id, 'active']]);
    expect(found.rows[0]?.secret_hash.length).toBe(32);
    expect((await lookup(keys.revoked.prefix)).rows[0]?.state).toBe('revoked');
    expect((await lookup(keys.expired.prefix)).rows[0]?.state).toBe('expired');
    expect((await lookup(keys.disabled.prefix)).rows[0]?.state).toBe('disabled');
    expect((await lookup('rx_test_ffffffff')).rows).toEqual([]);
    // Patterns are not prefixes: no wildcard reaches more than one key.
    expect((await lookup('rx_test_%')).rows).toEqual([]);
  });

  it('refuses to run inside a request that already acts for a principal', async () => {
    const admin: AuthContext = { principalId: ids.admin, organizationId: ids.alpha, membershipRole: 'admin', platformRole: null };
    await expect(asPrincipal(db.api, admin, (tx) => tx`select * from api_key_for_prefix(${keys.reader.prefix})`))
      .rejects.toThrow(/before any principal is known/);
  });

  it('closes its window on the owner policies when it returns', async () => {
    expect((await lookup(keys.reader.prefix)).after).toBe('');
  });

  it('is executable by the runtime role only', async () => {
    const [grants] = await db.admin<{ app: boolean; api: boolean; zero: boolean }[]>`select
      has_function_privilege(${ROLES.runtime}, 'api_key_for_prefix(text)', 'execute') as app,
      has_function_privilege(${ROLES.api}, 'api_key_for_prefix(text)', 'execute') as api,
      has_function_privilege(${ROLES.zero}, 'api_key_for_prefix(text)', 'execute') as zero`;
    expect(grants).toEqual({ app: true, api: false, zero: false });
    // The api login inherits nothing: without taking the runtime role it cannot call it.
    await expect(db.api`select * from api_key_for_prefix(${keys.reader.prefix})`).rejects.toThrow(/permission denied/);
  });

  it('leaves the owner role blind to keys outside the function', async () => {
    const owner = postgres(db.urls.owner, { max: 1, onnotice: () => undefined });
    try {
      expect(await owner`select id from api_keys`).toEqual([]);
      expect(await owner`select principal_id from service_accounts`).toEqual([]);
    } finally {
      await owner.end();
    }
  });
});

describe('locations through an API key (locations_api_key_read)', () => {
  const asKey = (serviceAccountId: string, organizationId: string, apiKeyId: string) =>
    asPrincipal(db.api, { principalId: serviceAccountId, organizationId, membershipRole: null, platformRole: null }, async (tx) => {
      await tx`select set_config(${API_KEY_SETTING}, ${apiKeyId}, true)`;
      // No organisation filter: this is RLS alone.
      return (await tx<{ id: string }[]>`select id from locations order by id`).map((row) => row.id);
    });

  it("shows a live key with locations.read its own clinic's locations, in every status", async () => {
    expect(await asKey(ids.robot, ids.alpha, keys.reader.id)).toEqual([ids.alphaOpen, ids.alphaShut].sort());
    expect(await asKey(ids.betaRobot, ids.beta, keys.beta.id)).toEqual([ids.betaOpen]);
  });

  it('shows nothing to a key without the permission, revoked, expired or disabled', async () => {
    expect(await asKey(ids.robot, ids.alpha, keys.noRead.id)).toEqual([]);
    expect(await asKey(ids.robot, ids.alpha, keys.revoked.id)).toEqual([]);
    expect(await asKey(ids.robot, ids.alpha, keys.expired.id)).toEqual([]);
    expect(await asKey(ids.disabledRobot, ids.alpha, keys.disabled.id)).toEqual([]);
  });

  it('shows nothing when the settings are mixed up: another clinic, another principal, another key', async () => {
    expect(await asKey(ids.robot, ids.beta, keys.reader.id)).toEqual([]);
    expect(await asKey(ids.betaRobot, ids.alpha, keys.reader.id)).toEqual([]);
    expect(await asKey(ids.robot, ids.alpha, keys.beta.id)).toEqual([]);
    // A person's request that somehow carries a key id gains nothing from it.
    expect(await asKey(ids.human, ids.alpha, keys.reader.id)).toEqual([]);
  });

  it('lets a key read but never write locations', async () => {
    const robot: AuthContext = { principalId: ids.robot, organizationId: ids.alpha, membershipRole: null, platformRole: null };
    const updated = await asPrincipal(db.api, robot, async (tx) => {
      await tx`select set_config(${API_KEY_SETTING}, ${keys.reader.id}, true)`;
      return tx`update locations set name = 'Pwned' where id = ${ids.alphaOpen} returning id`;
    });
    expect(updated).toEqual([]);
  });
});
