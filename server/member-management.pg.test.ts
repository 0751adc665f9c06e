import { randomUUID } from 'node:crypto';
import { defineMutator, defineMutators } from '@rocicorp/zero';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tamperedClients, type Verdict } from '../infra/test/tampered-clients.ts';
import { startTestStack, type Session, type TestStack } from '../infra/test/test-stack.ts';
import { addMembership, createCustomRole, createHuman, createLocation, createOrganization } from '../seeds/factories.ts';
import { queries } from '../sync-rules/queries.ts';

/**
 * Custom roles and member management through the real mutate path, from a script whose client
 * mutators do nothing (as a tampered client's would), so every argument reaches the server.
 */
const noop = defineMutator(() => Promise.resolve());
const tampered = defineMutators({
  member: { changeRole: noop, remove: noop },
  role: { create: noop, update: noop, delete: noop },
  location: { create: noop, update: noop, setStatus: noop },
});

const ids = {} as Record<
  'alpha' | 'beta' | 'owner' | 'admin' | 'billing' | 'specialist' | 'staff' | 'deskPerson' | 'betaAdmin' | 'betaStaff'
  | 'adminMembership' | 'ownerMembership' | 'billingMembership' | 'specialistMembership' | 'staffMembership' | 'deskMembership' | 'betaStaffMembership'
  | 'deskRole' | 'betaRole',
  string
>;

async function seed(sql: Sql): Promise<void> {
  ids.alpha = await createOrganization(sql, { slug: 'alpha', name: 'Alpha' });
  ids.beta = await createOrganization(sql, { slug: 'beta', name: 'Beta' });
  const person = (email: string) => createHuman(sql, { email, name: email.split('@')[0] ?? email });
  ids.owner = await person('owner@alpha.test');
  ids.admin = await person('admin@alpha.test');
  ids.billing = await person('billing@alpha.test');
  ids.specialist = await person('specialist@alpha.test');
  ids.staff = await person('staff@alpha.test');
  ids.deskPerson = await person('desk@alpha.test');
  ids.betaAdmin = await person('admin@beta.test');
  ids.betaStaff = await person('staff@beta.test');
  ids.ownerMembership = await addMembership(sql, ids.alpha, ids.owner, 'owner');
  ids.adminMembership = await addMembership(sql, ids.alpha, ids.admin, 'admin');
  ids.billingMembership = await addMembership(sql, ids.alpha, ids.billing, 'billing');
  ids.specialistMembership = await addMembership(sql, ids.alpha, ids.specialist, 'specialist');
  ids.staffMembership = await addMembership(sql, ids.alpha, ids.staff, 'staff');
  // A custom role that may manage locations: what a "front desk lead" would get.
  ids.deskRole = await createCustomRole(sql, ids.alpha, { name: 'Front desk lead', permissions: ['locations.read', 'locations.manage', 'members.read'], createdBy: ids.owner });
  ids.deskMembership = await addMembership(sql, ids.alpha, ids.deskPerson, 'custom', ids.deskRole);
  await addMembership(sql, ids.beta, ids.betaAdmin, 'admin');
  ids.betaStaffMembership = await addMembership(sql, ids.beta, ids.betaStaff, 'staff');
  ids.betaRole = await createCustomRole(sql, ids.beta, { name: 'Beta role', permissions: ['locations.read'], createdBy: ids.betaAdmin });
  await createLocation(sql, ids.alpha, { slug: 'main', name: 'Alpha main' });
}

let stack: TestStack;
let clients: ReturnType<typeof tamperedClients<typeof tampered>>;

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), seed);
  clients = tamperedClients(stack.origin, tampered);
});
afterAll(async () => {
  await clients.close();
  await stack.stop();
});

type Actor = { session: Session; push: (call: (m: typeof tampered) => unknown) => Promise<Verdict> };
const actors = new Map<string, Actor>();

/** One client per person, reused: the server reads roles from the database at every push anyway. */
async function as(email: string): Promise<Actor> {
  const known = actors.get(email);
  if (known !== undefined) return known;
  const session = await stack.login(email);
  const actor: Actor = { session, push: (call) => clients.push(session, call) };
  actors.set(email, actor);
  return actor;
}

const membership = async (id: string) =>
  (await stack.admin<{ role: string; custom_role_id: string | null; updated_by: string | null }[]>`
    select role, custom_role_id, updated_by from memberships where id = ${id}`)[0];
const role = async (id: string) =>
  (await stack.admin<{ name: string; permissions: string[] }[]>`select name, permissions from organization_roles where id = ${id}`)[0];
const auditActions = async (entityId: string) =>
  (await stack.admin<{ action: string }[]>`select action from audit_log where entity_id = ${entityId} order by id`).map((row) => row.action);
const w = () => randomUUID();

describe('custom roles', () => {
  it('an admin defines a role, renames it, changes what it grants, and every step is audited', async () => {
    const admin = await as('admin@alpha.test');
    const id = randomUUID();
    expect(await admin.push((m) => m.role.create({ writeId: w(), id, name: 'Physio assistant', permissions: ['locations.read', 'patients.read'] } as never))).toEqual({ ok: true });
    expect(await admin.push((m) => m.role.update({ writeId: w(), id, name: 'Assistant', permissions: ['locations.read'] } as never))).toEqual({ ok: true });
    expect(await role(id)).toEqual({ name: 'Assistant', permissions: ['locations.read'] });
    expect(await auditActions(id)).toEqual(['role.created', 'role.updated']);
  });

  it('refuses a duplicate name, whatever its case and spacing', async () => {
    const admin = await as('admin@alpha.test');
    const verdict = await admin.push((m) => m.role.create({ writeId: w(), id: randomUUID(), name: '  front DESK lead ', permissions: [] } as never));
    expect(verdict).toMatchObject({ ok: false, details: { code: 'ROLE_NAME_TAKEN', field: 'name' } });
  });

  it('refuses a permission outside the catalogue and a platform permission', async () => {
    const owner = await as('owner@alpha.test');
    for (const permissions of [['locations.destroy'], ['platform.manage']]) {
      const id = randomUUID();
      const verdict = await owner.push((m) => m.role.create({ writeId: w(), id, name: `Bad ${id}`, permissions } as never));
      expect(verdict).toMatchObject({ ok: false, details: { code: 'INVALID_INPUT' } });
      expect(await role(id)).toBeUndefined();
    }
  });

  it('never lets anyone define a role more powerful than themself: an admin cannot grant billing.manage', async () => {
    const admin = await as('admin@alpha.test');
    const id = randomUUID();
    const verdict = await admin.push((m) => m.role.create({ writeId: w(), id, name: 'Cashier', permissions: ['billing.manage'] } as never));
    expect(verdict).toMatchObject({ ok: false, details: { code: 'EXCEEDS_OWN_PERMISSIONS' } });
    expect(await role(id)).toBeUndefined();
    // The owner holds it, so the owner can.
    const owner = await as('owner@alpha.test');
    expect(await owner.push((m) => m.role.create({ writeId: w(), id, name: 'Cashier', permissions: ['billing.manage'] } as never))).toEqual({ ok: true });
    // ...and the admin can then neither edit nor delete it.
    expect(await admin.push((m) => m.role.update({ writeId: w(), id, name: 'Mine now' } as never))).toMatchObject({ ok: false, details: { code: 'EXCEEDS_OWN_PERMISSIONS' } });
    expect(await admin.push((m) => m.role.delete({ writeId: w(), id } as never))).toMatchObject({ ok: false, details: { code: 'EXCEEDS_OWN_PERMISSIONS' } });
    expect((await role(id))?.name).toBe('Cashier');
  });

  it('refuses roles.manage to members without it, and another clinic\'s role answers NOT_FOUND', async () => {
    const specialist = await as('specialist@alpha.test');
    expect(await specialist.push((m) => m.role.create({ writeId: w(), id: randomUUID(), name: 'Sneaky', permissions: [] } as never))).toMatchObject({ ok: false, details: { code: 'FORBIDDEN' } });
    const betaAdmin = await as('admin@beta.test');
    expect(await betaAdmin.push((m) => m.role.update({ writeId: w(), id: ids.deskRole, permissions: ['members.manage'] } as never))).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    expect(await betaAdmin.push((m) => m.role.delete({ writeId: w(), id: ids.deskRole } as never))).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    expect((await role(ids.deskRole))?.permissions).toEqual(['locations.read', 'locations.manage', 'members.read']);
  });

  it('a role in use cannot be deleted; an unused one can', async () => {
    const owner = await as('owner@alpha.test');
    expect(await owner.push((m) => m.role.delete({ writeId: w(), id: ids.deskRole } as never))).toMatchObject({ ok: false, details: { code: 'ROLE_IN_USE' } });
    const unused = randomUUID();
    expect(await owner.push((m) => m.role.create({ writeId: w(), id: unused, name: 'Temporary', permissions: [] } as never))).toEqual({ ok: true });
    expect(await owner.push((m) => m.role.delete({ writeId: w(), id: unused } as never))).toEqual({ ok: true });
    expect(await role(unused)).toBeUndefined();
    expect(await auditActions(unused)).toEqual(['role.created', 'role.deleted']);
  });

  it('grants exactly its permissions to the people holding it, and a change applies at their next request', async () => {
    const desk = await as('desk@alpha.test');
    expect(desk.session.context).toMatchObject({ membershipRole: 'custom', customRolePermissions: ['locations.read', 'locations.manage', 'members.read'] });
    const location = randomUUID();
    expect(await desk.push((m) => m.location.create({ writeId: w(), id: location, name: 'Desk-made', slug: 'desk-made' } as never))).toEqual({ ok: true });
    // Not granted: managing roles.
    expect(await desk.push((m) => m.role.create({ writeId: w(), id: randomUUID(), name: 'Nope', permissions: [] } as never))).toMatchObject({ ok: false, details: { code: 'FORBIDDEN' } });
    // The owner takes locations.manage away; the same token is refused on its very next write.
    const owner = await as('owner@alpha.test');
    expect(await owner.push((m) => m.role.update({ writeId: w(), id: ids.deskRole, permissions: ['locations.read', 'members.read'] } as never))).toEqual({ ok: true });
    expect(await desk.push((m) => m.location.update({ writeId: w(), id: location, name: 'Renamed' } as never))).toMatchObject({ ok: false, details: { code: 'FORBIDDEN' } });
  });

  it('syncs a clinic\'s roles to its members only', async () => {
    const zero = stack.zeroAs(await stack.login('staff@alpha.test'));
    const names = (await zero.run(queries.clinic.roles(), { type: 'complete' })).map((r) => r.name);
    await zero.close();
    expect(names).toContain('Front desk lead');
    expect(names).not.toContain('Beta role');
  });
});

describe('managing members', () => {
  it('an admin changes a member to a custom role and back; audited with who did it', async () => {
    const admin = await as('admin@alpha.test');
    expect(await admin.push((m) => m.member.changeRole({ writeId: w(), id: ids.staffMembership, role: 'custom', customRoleId: ids.deskRole } as never))).toEqual({ ok: true });
    expect(await membership(ids.staffMembership)).toEqual({ role: 'custom', custom_role_id: ids.deskRole, updated_by: ids.admin });
    expect(await admin.push((m) => m.member.changeRole({ writeId: w(), id: ids.staffMembership, role: 'specialist' } as never))).toEqual({ ok: true });
    expect(await membership(ids.staffMembership)).toMatchObject({ role: 'specialist', custom_role_id: null });
    expect(await auditActions(ids.staffMembership)).toEqual(['membership.role_changed', 'membership.role_changed']);
  });

  it('refuses a custom role without its id, and another clinic\'s custom role', async () => {
    const admin = await as('admin@alpha.test');
    expect(await admin.push((m) => m.member.changeRole({ writeId: w(), id: ids.specialistMembership, role: 'custom' } as never))).toMatchObject({ ok: false, details: { code: 'INVALID_INPUT' } });
    expect(await admin.push((m) => m.member.changeRole({ writeId: w(), id: ids.specialistMembership, role: 'custom', customRoleId: ids.betaRole } as never))).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    expect((await membership(ids.specialistMembership))?.role).toBe('specialist');
  });

  it('nobody changes or removes their own membership', async () => {
    const admin = await as('admin@alpha.test');
    expect(await admin.push((m) => m.member.changeRole({ writeId: w(), id: ids.adminMembership, role: 'owner' } as never))).toMatchObject({ ok: false, details: { code: 'OWN_MEMBERSHIP' } });
    expect(await admin.push((m) => m.member.remove({ writeId: w(), id: ids.adminMembership } as never))).toMatchObject({ ok: false, details: { code: 'OWN_MEMBERSHIP' } });
    expect((await membership(ids.adminMembership))?.role).toBe('admin');
  });

  it('only an owner makes an owner or touches an owner', async () => {
    const admin = await as('admin@alpha.test');
    expect(await admin.push((m) => m.member.changeRole({ writeId: w(), id: ids.specialistMembership, role: 'owner' } as never))).toMatchObject({ ok: false, details: { code: 'OWNER_ONLY' } });
    expect(await admin.push((m) => m.member.changeRole({ writeId: w(), id: ids.ownerMembership, role: 'staff' } as never))).toMatchObject({ ok: false, details: { code: 'OWNER_ONLY' } });
    expect(await admin.push((m) => m.member.remove({ writeId: w(), id: ids.ownerMembership } as never))).toMatchObject({ ok: false, details: { code: 'OWNER_ONLY' } });
    expect((await membership(ids.ownerMembership))?.role).toBe('owner');
  });

  it('an admin cannot manage someone holding more than they do (billing.manage)', async () => {
    const admin = await as('admin@alpha.test');
    expect(await admin.push((m) => m.member.remove({ writeId: w(), id: ids.billingMembership } as never))).toMatchObject({ ok: false, details: { code: 'EXCEEDS_OWN_PERMISSIONS' } });
    expect(await admin.push((m) => m.member.changeRole({ writeId: w(), id: ids.specialistMembership, role: 'billing' } as never))).toMatchObject({ ok: false, details: { code: 'EXCEEDS_OWN_PERMISSIONS' } });
    expect((await membership(ids.billingMembership))?.role).toBe('billing');
  });

  it('members without members.manage, and other clinics, cannot touch memberships', async () => {
    const specialist = await as('specialist@alpha.test');
    expect(await specialist.push((m) => m.member.remove({ writeId: w(), id: ids.deskMembership } as never))).toMatchObject({ ok: false, details: { code: 'FORBIDDEN' } });
    const betaAdmin = await as('admin@beta.test');
    expect(await betaAdmin.push((m) => m.member.changeRole({ writeId: w(), id: ids.deskMembership, role: 'staff' } as never))).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    expect(await betaAdmin.push((m) => m.member.remove({ writeId: w(), id: ids.deskMembership } as never))).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    expect(await membership(ids.deskMembership)).toMatchObject({ role: 'custom' });
  });

  it('a removed member loses the clinic at their next request; the removal is audited', async () => {
    const betaStaff = await as('staff@beta.test');
    const betaAdmin = await as('admin@beta.test');
    expect(await betaAdmin.push((m) => m.member.remove({ writeId: w(), id: ids.betaStaffMembership } as never))).toEqual({ ok: true });
    expect(await membership(ids.betaStaffMembership)).toBeUndefined();
    expect(await auditActions(ids.betaStaffMembership)).toEqual(['membership.removed']);
    const response = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${betaStaff.session.token}` } });
    expect(response.status).toBe(401);
  });
});
