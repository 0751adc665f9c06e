import { describe, expect, it } from 'vitest';
import type { AuthContext } from './context.ts';
import { canTransition } from './mutators/locations.ts';
import { can } from './permissions.ts';

const ctx = (overrides: Partial<AuthContext>): AuthContext => ({
  principalId: 'p', organizationId: 'o', membershipRole: null, platformRole: null, ...overrides,
});

describe('permissions', () => {
  it('lets owners and admins manage locations, staff only read them', () => {
    expect(can(ctx({ membershipRole: 'owner' }), 'locations.manage')).toBe(true);
    expect(can(ctx({ membershipRole: 'admin' }), 'locations.manage')).toBe(true);
    expect(can(ctx({ membershipRole: 'staff' }), 'locations.manage')).toBe(false);
    expect(can(ctx({ membershipRole: 'staff' }), 'locations.read')).toBe(true);
  });

  it('keeps organisation creation to superadmins', () => {
    expect(can(ctx({ platformRole: 'superadmin' }), 'organizations.create')).toBe(true);
    expect(can(ctx({ platformRole: 'support_engineer' }), 'organizations.create')).toBe(false);
    expect(can(ctx({ membershipRole: 'owner' }), 'organizations.create')).toBe(false);
  });

  it('gives no clinic permissions to platform roles', () => {
    expect(can(ctx({ platformRole: 'superadmin', organizationId: null }), 'locations.read')).toBe(false);
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
