import type { Transaction } from '@rocicorp/zero';
import { z } from 'zod';
import type { AuthContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { organizationPermissionsOf, withinPermissions, ZOrganizationPermission, type OrganizationPermission } from '../permissions.ts';
import { zql } from '../schema.ts';
import { ZId, ZWriteId } from '../validation.ts';
import { defineWrite } from './define-write.ts';
import { requireOrganization, requirePermission } from './guards.ts';

export const ZRoleName = z.string().trim().min(1).max(80);
const ZDescription = z.string().trim().max(500);
const ZPermissions = z.array(ZOrganizationPermission).max(50).transform((list) => [...new Set(list)]);

export const ZCreateRole = z.object({ writeId: ZWriteId, id: ZId, name: ZRoleName, description: ZDescription.default(''), permissions: ZPermissions });
export const ZUpdateRole = z.object({ writeId: ZWriteId, id: ZId, name: ZRoleName.optional(), description: ZDescription.optional(), permissions: ZPermissions.optional() });
export const ZDeleteRole = z.object({ writeId: ZWriteId, id: ZId });

/** How people read a role's name: "Front desk" and " front desk " are the same role. */
export const roleNameKey = (name: string) => name.trim().toLocaleLowerCase();

/**
 * Security: nobody hands out, edits or deletes a role holding more than they hold themself; an admin
 * cannot, through a role, grant the billing rights only an owner has.
 */
export function assertWithinOwnPermissions(ctx: AuthContext, permissions: readonly OrganizationPermission[]): void {
  if (!withinPermissions(permissions, organizationPermissionsOf(ctx))) {
    throw new DomainError('EXCEEDS_OWN_PERMISSIONS', 'a role cannot grant more than you hold', { field: 'permissions' });
  }
}

export async function loadRole(tx: Transaction, organizationId: string, id: string) {
  const role = await tx.run(zql.organization_roles.where('id', id).one());
  // Security: the same answer for "missing" and "another clinic's".
  if (role === undefined || role.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'role not found', { field: 'customRoleId' });
  return role;
}

async function assertNameFree(tx: Transaction, organizationId: string, name: string, id: string) {
  const roles = await tx.run(zql.organization_roles.where('organizationId', organizationId));
  if (roles.some((role) => role.id !== id && roleNameKey(role.name) === roleNameKey(name))) {
    throw new DomainError('ROLE_NAME_TAKEN', `a role named ${name} exists`, { field: 'name' });
  }
}

export const organizationRoleMutators = {
  create: defineWrite(ZCreateRole, async ({ tx, args, ctx }) => {
    requirePermission(ctx, 'roles.manage');
    const organizationId = requireOrganization(ctx);
    assertWithinOwnPermissions(ctx, args.permissions);
    await assertNameFree(tx, organizationId, args.name, args.id);
    const now = Date.now();
    await tx.mutate.organization_roles.insert({
      id: args.id,
      organizationId,
      name: args.name,
      description: args.description,
      permissions: args.permissions,
      createdBy: ctx.principalId,
      updatedBy: ctx.principalId,
      createdAt: now,
      updatedAt: now,
    });
  }),

  // A change reaches everyone holding the role at their next request: that is what a role is for.
  update: defineWrite(ZUpdateRole, async ({ tx, args, ctx }) => {
    requirePermission(ctx, 'roles.manage');
    const organizationId = requireOrganization(ctx);
    const role = await loadRole(tx, organizationId, args.id);
    assertWithinOwnPermissions(ctx, role.permissions);
    if (args.permissions !== undefined) assertWithinOwnPermissions(ctx, args.permissions);
    if (args.name !== undefined) await assertNameFree(tx, organizationId, args.name, args.id);
    const { writeId: _writeId, ...changes } = args;
    await tx.mutate.organization_roles.update({ ...changes, updatedBy: ctx.principalId, updatedAt: Date.now() });
  }),

  delete: defineWrite(ZDeleteRole, async ({ tx, args, ctx }) => {
    requirePermission(ctx, 'roles.manage');
    const organizationId = requireOrganization(ctx);
    const role = await loadRole(tx, organizationId, args.id);
    assertWithinOwnPermissions(ctx, role.permissions);
    const holder = await tx.run(zql.memberships.where('customRoleId', args.id).one());
    if (holder !== undefined) throw new DomainError('ROLE_IN_USE', 'members still hold this role; give them another one first');
    await tx.mutate.organization_roles.delete({ id: args.id });
  }),
};
