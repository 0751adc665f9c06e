import type { AuthContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { can, type Permission } from '../permissions.ts';

export function requirePermission(ctx: AuthContext, permission: Permission): void {
  if (!can(ctx, permission)) throw new DomainError('FORBIDDEN', `missing permission ${permission}`);
}

export function requireOrganization(ctx: AuthContext): string {
  if (ctx.organizationId === null) throw new DomainError('FORBIDDEN', 'no organisation selected');
  return ctx.organizationId;
}
