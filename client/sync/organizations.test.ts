import { describe, expect, it } from 'vitest';
import { organizationsFromMemberships, roleDiffers, sameOrganizations } from './organizations.ts';

describe("the person's clinics from their memberships", () => {
  it('lists each clinic by name with the role, skipping memberships whose clinic has not synced', () => {
    const rows = [
      { organizationId: 'o2', role: 'staff', organization: { name: 'Motion Physio' } },
      { organizationId: 'o1', role: 'owner', organization: { name: 'Kinetic Recuperare' } },
      { organizationId: 'o3', role: 'admin', organization: undefined },
    ];
    expect(organizationsFromMemberships(rows)).toEqual([
      { id: 'o1', name: 'Kinetic Recuperare', role: 'owner' },
      { id: 'o2', name: 'Motion Physio', role: 'staff' },
    ]);
  });

  it('compares lists by id, name and role, in order', () => {
    const a = [{ id: 'o1', name: 'A', role: 'owner' }];
    expect(sameOrganizations(a, [{ id: 'o1', name: 'A', role: 'owner' }])).toBe(true);
    expect(sameOrganizations(a, [{ id: 'o1', name: 'A', role: 'staff' }])).toBe(false);
    expect(sameOrganizations(a, [])).toBe(false);
  });
});

describe('whether the session must fetch a new context', () => {
  const context = { principalId: 'p', organizationId: 'o', membershipRole: 'staff', platformRole: null } as const;
  it('when the synced role is another system role', () => {
    expect(roleDiffers(context, { membershipRole: 'staff' })).toBe(false);
    expect(roleDiffers(context, { membershipRole: 'admin' })).toBe(true);
  });
  it('when a custom role now grants something else, in any order', () => {
    const custom = { ...context, membershipRole: 'custom', customRolePermissions: ['members.read', 'locations.read'] } as const;
    expect(roleDiffers(custom, { membershipRole: 'custom', customRolePermissions: ['locations.read', 'members.read'] })).toBe(false);
    expect(roleDiffers(custom, { membershipRole: 'custom', customRolePermissions: ['locations.read'] })).toBe(true);
  });
});
