import type { AuthContext, MembershipRole, PlatformRole } from './context.ts';

export const PERMISSIONS = [
  'locations.read',
  'locations.manage',
  'members.read',
  'organizations.read_all',
  'organizations.create',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

// Constant maps in code, not data: a permission change is a reviewed commit.
const MEMBERSHIP_PERMISSIONS: Record<MembershipRole, readonly Permission[]> = {
  owner: ['locations.read', 'locations.manage', 'members.read'],
  admin: ['locations.read', 'locations.manage', 'members.read'],
  staff: ['locations.read', 'members.read'],
};

const PLATFORM_PERMISSIONS: Record<PlatformRole, readonly Permission[]> = {
  superadmin: ['organizations.read_all', 'organizations.create'],
  support_engineer: ['organizations.read_all'],
};

export function can(ctx: AuthContext, permission: Permission): boolean {
  const fromMembership = ctx.membershipRole === null ? [] : MEMBERSHIP_PERMISSIONS[ctx.membershipRole];
  const fromPlatform = ctx.platformRole === null ? [] : PLATFORM_PERMISSIONS[ctx.platformRole];
  return fromMembership.includes(permission) || fromPlatform.includes(permission);
}
