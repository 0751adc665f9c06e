import { describe, expect, it } from 'vitest';
import { organizationsFromMemberships, sameOrganizations } from './organizations.ts';

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
