import { describe, expect, it } from 'vitest';
import { SYSTEM_ROLES, type AuthContext } from './context.ts';
import { canTransition } from './mutators/locations.ts';
import { can, ORGANIZATION_PERMISSIONS, PERMISSIONS, permissionsOf, PLATFORM_ROLE_PERMISSIONS, requiresSecondFactor, SYSTEM_ROLE_PERMISSIONS } from './permissions.ts';

const ctx = (overrides: Partial<AuthContext>): AuthContext => ({
  principalId: 'p', organizationId: 'o', membershipRole: null, platformRole: null, ...overrides,
});

describe('the permission catalogue', () => {
  it('lets owners and admins manage locations; every other role only reads them', () => {
    for (const role of SYSTEM_ROLES) {
      expect(can(ctx({ membershipRole: role }), 'locations.read'), role).toBe(true);
      expect(can(ctx({ membershipRole: role }), 'locations.manage'), role).toBe(role === 'owner' || role === 'admin');
    }
  });

  it('gives owners everything, admins everything but billing changes, and keeps patients from billing and staff', () => {
    expect([...SYSTEM_ROLE_PERMISSIONS.owner].sort()).toEqual([...ORGANIZATION_PERMISSIONS].sort());
    expect(SYSTEM_ROLE_PERMISSIONS.admin).not.toContain('billing.manage');
    expect(can(ctx({ membershipRole: 'billing' }), 'patients.read')).toBe(false);
    expect(can(ctx({ membershipRole: 'staff' }), 'patients.read')).toBe(false);
    expect(can(ctx({ membershipRole: 'specialist' }), 'patients.manage')).toBe(true);
  });

  it('maps platform roles to the plan: CrossOrgLookup and Manage are superadmin-only', () => {
    expect(can(ctx({ platformRole: 'superadmin' }), 'platform.manage')).toBe(true);
    expect(can(ctx({ platformRole: 'superadmin' }), 'platform.cross_org_lookup')).toBe(true);
    for (const permission of ['platform.manage', 'platform.cross_org_lookup'] as const) {
      expect(can(ctx({ platformRole: 'support_engineer' }), permission)).toBe(false);
    }
    for (const permission of ['platform.patients.list', 'platform.patients.detail', 'platform.audit.full'] as const) {
      expect(PLATFORM_ROLE_PERMISSIONS.support_engineer).toContain(permission);
    }
    expect(can(ctx({ membershipRole: 'owner' }), 'platform.manage')).toBe(false);
  });

  it('gives no clinic permissions to platform roles, and nothing to nobody', () => {
    expect(can(ctx({ platformRole: 'superadmin', organizationId: null }), 'locations.read')).toBe(false);
    expect(permissionsOf(ctx({}))).toEqual([]);
  });

  it('gives a custom role exactly its permissions, and nothing when they are missing (fails closed)', () => {
    const custom = ctx({ membershipRole: 'custom', customRolePermissions: ['locations.read', 'locations.manage'] });
    expect(permissionsOf(custom)).toEqual(['locations.read', 'locations.manage']);
    expect(can(custom, 'members.read')).toBe(false);
    expect(permissionsOf(ctx({ membershipRole: 'custom' }))).toEqual([]);
    // A system role ignores a stray list: only `custom` reads it.
    expect(can(ctx({ membershipRole: 'staff', customRolePermissions: ['members.manage'] }), 'members.manage')).toBe(false);
  });

  it('asks a second factor of operators, owners, admins and any role that manages people, roles or keys', () => {
    expect(requiresSecondFactor(ctx({ platformRole: 'support_engineer' }))).toBe(true);
    for (const role of SYSTEM_ROLES) expect(requiresSecondFactor(ctx({ membershipRole: role })), role).toBe(role === 'owner' || role === 'admin');
    expect(requiresSecondFactor(ctx({ membershipRole: 'custom', customRolePermissions: ['members.manage'] }))).toBe(true);
    expect(requiresSecondFactor(ctx({ membershipRole: 'custom', customRolePermissions: ['locations.manage', 'patients.manage'] }))).toBe(false);
  });

  it('grants only permissions of the catalogue', () => {
    for (const granted of [...Object.values(SYSTEM_ROLE_PERMISSIONS), ...Object.values(PLATFORM_ROLE_PERMISSIONS)]) {
      for (const permission of granted) expect(PERMISSIONS).toContain(permission);
    }
  });
});

describe('location lifecycle', () => {
  it('allows active ⇄ inactive and closing from either, nothing out of closed', () => {
    expect(canTransition('active', 'inactive')).toBe(true);
    expect(canTransition('inactive', 'active')).toBe(true);
    expect(canTransition('active', 'closed')).toBe(true);
    expect(canTransition('inactive', 'closed')).toBe(true);
    expect(canTransition('closed', 'active')).toBe(false);
    expect(canTransition('closed', 'inactive')).toBe(false);
    expect(canTransition('active', 'active')).toBe(false);
  });
});
