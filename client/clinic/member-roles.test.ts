import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../sync-rules/context.ts';
import { mayGrant, mayManage, roleChoices } from './member-roles.ts';

const manager = (overrides: Partial<AuthContext>): AuthContext => ({ principalId: 'me', organizationId: 'o', membershipRole: 'admin', platformRole: null, ...overrides });
const choices = roleChoices([
  { id: 'desk', name: 'Front desk', permissions: ['locations.read'] },
  { id: 'cash', name: 'Cashier', permissions: ['billing.read', 'billing.manage'] },
]);
const choice = (value: string) => {
  const found = choices.find((c) => c.value === value);
  if (found === undefined) throw new Error(value);
  return found;
};

describe('the role picker', () => {
  it('lists the system roles, then the custom ones', () => {
    expect(choices.map((c) => c.value)).toEqual(['owner', 'admin', 'specialist', 'receptionist', 'billing', 'staff', 'custom:desk', 'custom:cash']);
  });

  it('offers an admin neither owner nor anything granting billing.manage', () => {
    const admin = manager({});
    expect(mayGrant(admin, choice('owner'))).toBe(false);
    expect(mayGrant(admin, choice('billing'))).toBe(false);
    expect(mayGrant(admin, choice('custom:cash'))).toBe(false);
    expect(mayGrant(admin, choice('custom:desk'))).toBe(true);
    expect(mayGrant(admin, choice('specialist'))).toBe(true);
  });

  it('lets an owner grant everything, and nobody manage themself', () => {
    const owner = manager({ membershipRole: 'owner' });
    expect(choices.every((c) => mayGrant(owner, c))).toBe(true);
    expect(mayManage(owner, 'me', choice('staff'))).toBe(false);
    expect(mayManage(owner, 'someone', choice('owner'))).toBe(true);
    expect(mayManage(manager({}), 'someone', choice('owner'))).toBe(false);
  });
});
