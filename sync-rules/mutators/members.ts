import type { Transaction } from '@rocicorp/zero';
import { z } from 'zod';
import { ZMembershipRole, type AuthContext, type MembershipRole } from '../context.ts';
import { DomainError } from '../errors.ts';
import { organizationPermissionsOf, type OrganizationPermission } from '../permissions.ts';
import { zql } from '../schema.ts';
import { ZId, ZWriteId } from '../validation.ts';
import { defineWrite } from './define-write.ts';
import { requireOrganization, requirePermission } from './guards.ts';
import { assertWithinOwnPermissions, loadRole } from './organization-roles.ts';

export const ZChangeMemberRole = z
  .object({ writeId: ZWriteId, id: ZId, role: ZMembershipRole, customRoleId: ZId.nullable().default(null) })
  .refine((args) => (args.role === 'custom') === (args.customRoleId !== null), {
    message: 'customRoleId is required for a custom role, and only then',
    path: ['customRoleId'],
  });
export const ZRemoveMember = z.object({ writeId: ZWriteId, id: ZId });

type Holding = { membershipRole: MembershipRole; customRolePermissions?: readonly OrganizationPermission[] };

/** What a membership (current or intended) grants, reading its custom role in the same clinic. */
async function grantsOf(tx: Transaction, organizationId: string, role: MembershipRole, customRoleId: string | null | undefined) {
  const holding: Holding = { membershipRole: role };
  if (role === 'custom' && customRoleId !== null && customRoleId !== undefined) {
    holding.customRolePermissions = (await loadRole(tx, organizationId, customRoleId)).permissions;
  }
  return organizationPermissionsOf(holding);
}

/**
 * Who may manage this membership: a members.manage holder of the same clinic, never on their own
 * membership, an owner for an owner's, and only someone holding at least what the member holds.
 */
async function loadManageableMembership(tx: Transaction, ctx: AuthContext, id: string) {
  requirePermission(ctx, 'members.manage');
  const organizationId = requireOrganization(ctx);
  const membership = await tx.run(zql.memberships.where('id', id).one());
  if (membership === undefined || membership.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'member not found');
  if (membership.principalId === ctx.principalId) throw new DomainError('OWN_MEMBERSHIP', 'ask another manager to change your own membership');
  if (membership.role === 'owner' && ctx.membershipRole !== 'owner') throw new DomainError('OWNER_ONLY', "only an owner may change an owner's membership");
  assertWithinOwnPermissions(ctx, await grantsOf(tx, organizationId, membership.role, membership.customRoleId));
  return { membership, organizationId };
}

export const memberMutators = {
  changeRole: defineWrite(ZChangeMemberRole, async ({ tx, args, ctx }) => {
    const { organizationId } = await loadManageableMembership(tx, ctx, args.id);
    if (args.role === 'owner' && ctx.membershipRole !== 'owner') throw new DomainError('OWNER_ONLY', 'only an owner may make someone an owner');
    assertWithinOwnPermissions(ctx, await grantsOf(tx, organizationId, args.role, args.customRoleId));
    await tx.mutate.memberships.update({
      id: args.id,
      role: args.role,
      customRoleId: args.customRoleId,
      updatedBy: ctx.principalId,
      updatedAt: Date.now(),
    });
  }),

  // The person keeps their account and their other clinics; this clinic's rows leave their devices.
  remove: defineWrite(ZRemoveMember, async ({ tx, args, ctx }) => {
    await loadManageableMembership(tx, ctx, args.id);
    await tx.mutate.memberships.delete({ id: args.id });
  }),
};
