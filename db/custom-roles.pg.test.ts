import { randomUUID } from 'node:crypto';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal, freshDatabase, type TestDatabase } from '../infra/test/database.ts';
import { addMembership, createCustomRole, createHuman, createOrganization } from '../seeds/factories.ts';
import type { AuthContext, MembershipRole } from '../sync-rules/context.ts';
import { ORGANIZATION_PERMISSIONS } from '../sync-rules/permissions.ts';

/**
 * 0008_custom_roles.sql from the database's side: whatever the server's code does, the runtime role
 * cannot promote itself, touch an owner without being one, define a role beyond its own permissions,
 * or leave a clinic without an owner.
 */

let db: TestDatabase;
const ids = {} as Record<'alpha' | 'beta' | 'owner' | 'admin' | 'staff' | 'ownerMembership' | 'adminMembership' | 'staffMembership', string>;

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  const sql = db.admin;
  ids.alpha = await createOrganization(sql, { slug: 'alpha', name: 'Alpha' });
  ids.beta = await createOrganization(sql, { slug: 'beta', name: 'Beta' });
  ids.owner = await createHuman(sql, { email: 'owner@alpha.test', name: 'Owner' });
  ids.admin = await createHuman(sql, { email: 'admin@alpha.test', name: 'Admin' });
  ids.staff = await createHuman(sql, { email: 'staff@alpha.test', name: 'Staff' });
  ids.ownerMembership = await addMembership(sql, ids.alpha, ids.owner, 'owner');
  ids.adminMembership = await addMembership(sql, ids.alpha, ids.admin, 'admin');
  ids.staffMembership = await addMembership(sql, ids.alpha, ids.staff, 'staff');
});
afterAll(async () => { await db.close(); });

const context = (principalId: string, membershipRole: MembershipRole, extra: Partial<AuthContext> = {}): AuthContext =>
  ({ principalId, organizationId: ids.alpha, membershipRole, platformRole: null, ...extra });

/** Runs one statement as the principal; returns the rows it touched, or the database's refusal. */
async function attempt(auth: AuthContext, statement: (tx: TransactionSql) => PromiseLike<readonly unknown[]>) {
  try {
    return { rows: (await asPrincipal(db.api, auth, async (tx) => statement(tx))).length };
  } catch (error) {
    return { refused: (error as { code?: string }).code };
  }
}

describe('the permission catalogue in the database', () => {
  it('is exactly the one in sync-rules/permissions.ts', async () => {
    const [row] = await db.admin<{ list: string[] }[]>`select app_organization_permissions() as list`;
    expect([...(row?.list ?? [])].sort()).toEqual([...ORGANIZATION_PERMISSIONS].sort());
  });

  it('refuses a role granting something outside it, a duplicate, or a non-list', async () => {
    for (const permissions of [['locations.destroy'], ['platform.manage'], ['locations.read', 'locations.read'], { all: true }]) {
      await expect(db.admin`insert into organization_roles (organization_id, name, permissions, created_by, updated_by)
        values (${ids.alpha}, ${randomUUID()}, ${db.admin.json(permissions)}, ${ids.owner}, ${ids.owner})`).rejects.toMatchObject({ code: '23514' });
    }
  });
});

describe('memberships under RLS', () => {
  it('nobody changes their own membership, not even an admin', async () => {
    const verdict = await attempt(context(ids.admin, 'admin'), (tx) =>
      tx`update memberships set role = 'owner', updated_by = ${ids.admin} where id = ${ids.adminMembership} returning id`);
    expect(verdict).toEqual({ rows: 0 });
  });

  it("an admin cannot demote or remove an owner, nor make one; an owner can", async () => {
    const admin = context(ids.admin, 'admin');
    expect(await attempt(admin, (tx) => tx`update memberships set role = 'staff', updated_by = ${ids.admin} where id = ${ids.ownerMembership} returning id`)).toEqual({ rows: 0 });
    expect(await attempt(admin, (tx) => tx`delete from memberships where id = ${ids.ownerMembership} returning id`)).toEqual({ rows: 0 });
    expect(await attempt(admin, (tx) => tx`update memberships set role = 'owner', updated_by = ${ids.admin} where id = ${ids.staffMembership} returning id`)).toEqual({ refused: '42501' });
    expect(await attempt(context(ids.owner, 'owner'), (tx) =>
      tx`update memberships set role = 'owner', updated_by = ${ids.owner} where id = ${ids.staffMembership} returning id`)).toEqual({ rows: 1 });
  });

  it('a member without members.manage changes nobody, whatever role name the request claims', async () => {
    // The role name says admin, but the resolved permissions (what the server sets) do not include members.manage.
    const forged = context(ids.staff, 'admin', { membershipRole: 'custom', customRolePermissions: ['locations.read'] });
    expect(await attempt(forged, (tx) => tx`update memberships set role = 'admin', updated_by = ${ids.staff} where id = ${ids.adminMembership} returning id`)).toEqual({ rows: 0 });
    expect(await attempt(context(ids.staff, 'staff'), (tx) => tx`delete from memberships where id = ${ids.adminMembership} returning id`)).toEqual({ rows: 0 });
  });

  it("never reaches another clinic's memberships", async () => {
    const betaPerson = await createHuman(db.admin, { email: `${randomUUID()}@beta.test`, name: 'Beta person' });
    const betaMembership = await addMembership(db.admin, ids.beta, betaPerson, 'staff');
    expect(await attempt(context(ids.owner, 'owner'), (tx) => tx`delete from memberships where id = ${betaMembership} returning id`)).toEqual({ rows: 0 });
  });

  it('keeps at least one owner in every clinic, even against a superuser', async () => {
    const org = await createOrganization(db.admin, { slug: `solo-${randomUUID().slice(0, 8)}`, name: 'Solo' });
    const only = await addMembership(db.admin, org, await createHuman(db.admin, { email: `${randomUUID()}@solo.test`, name: 'Solo owner' }), 'owner');
    await expect(db.admin`delete from memberships where id = ${only}`).rejects.toMatchObject({ code: '23514' });
    await expect(db.admin`update memberships set role = 'admin' where id = ${only}`).rejects.toMatchObject({ code: '23514' });
    // Handing over works, successor first; deleting the clinic takes its memberships with it.
    const successor = await addMembership(db.admin, org, await createHuman(db.admin, { email: `${randomUUID()}@solo.test`, name: 'Successor' }), 'admin');
    await db.admin`update memberships set role = 'owner' where id = ${successor}`;
    await db.admin`update memberships set role = 'admin' where id = ${only}`;
    await db.admin`delete from organizations where id = ${org}`;
    expect(await db.admin`select id from memberships where organization_id = ${org}`).toHaveLength(0);
  });
});

describe('custom roles under RLS', () => {
  it('an admin cannot write a role beyond their own permissions, even with direct SQL', async () => {
    const admin = context(ids.admin, 'admin');
    const verdict = await attempt(admin, (tx) => tx`insert into organization_roles (organization_id, name, permissions, created_by, updated_by)
      values (${ids.alpha}, 'Cashier', ${tx.json(['billing.manage'])}, ${ids.admin}, ${ids.admin}) returning id`);
    expect(verdict).toEqual({ refused: '42501' });
    const owned = await createCustomRole(db.admin, ids.alpha, { name: 'Owner-made', permissions: ['billing.manage'], createdBy: ids.owner });
    expect(await attempt(admin, (tx) => tx`update organization_roles set name = 'Hijacked', updated_by = ${ids.admin} where id = ${owned} returning id`)).toEqual({ rows: 0 });
    expect(await attempt(admin, (tx) => tx`delete from organization_roles where id = ${owned} returning id`)).toEqual({ rows: 0 });
  });

  it('a role cannot be created in another clinic, or under someone else\'s name', async () => {
    const owner = context(ids.owner, 'owner');
    expect(await attempt(owner, (tx) => tx`insert into organization_roles (organization_id, name, permissions, created_by, updated_by)
      values (${ids.beta}, 'Planted', '[]', ${ids.owner}, ${ids.owner}) returning id`)).toEqual({ refused: '42501' });
    expect(await attempt(owner, (tx) => tx`insert into organization_roles (organization_id, name, permissions, created_by, updated_by)
      values (${ids.alpha}, 'Framed', '[]', ${ids.admin}, ${ids.admin}) returning id`)).toEqual({ refused: '42501' });
  });

  it('a role held by members cannot be deleted', async () => {
    const role = await createCustomRole(db.admin, ids.alpha, { name: 'Held', permissions: ['locations.read'], createdBy: ids.owner });
    await addMembership(db.admin, ids.alpha, await createHuman(db.admin, { email: `${randomUUID()}@alpha.test`, name: 'Holder' }), 'custom', role);
    // 23001: restrict_violation (on delete restrict).
    await expect(db.admin`delete from organization_roles where id = ${role}`).rejects.toMatchObject({ code: '23001' });
  });

  it('a membership cannot point at another clinic\'s role', async () => {
    const betaRole = await createCustomRole(db.admin, ids.beta, { name: 'Beta only', permissions: [], createdBy: ids.owner });
    await expect(addMembership(db.admin, ids.alpha, await createHuman(db.admin, { email: `${randomUUID()}@alpha.test`, name: 'Crossed' }), 'custom', betaRole))
      .rejects.toMatchObject({ code: '23503' });
  });
});
