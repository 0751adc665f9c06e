import type { AuthContext, MembershipRole, PlatformRole } from './context.ts';

/**
 * The one permission catalogue. Server mutators, REST routes, the UI and the access rules all ask
 * `can(ctx, permission)`; roles are constant maps in code, so a change of who may do what is a
 * reviewed commit. (Custom roles defined by a clinic will grant subsets of ORGANIZATION_PERMISSIONS.)
 */

/** What a clinic grants its people, through their role in that clinic. */
export const ORGANIZATION_PERMISSIONS = [
  'locations.read',
  'locations.manage',
  'members.read',
  'members.manage',
  'roles.manage',
  'patients.read',
  'patients.manage',
  'service_accounts.manage',
  'audit.read',
  'billing.read',
  'billing.manage',
] as const;
export type OrganizationPermission = (typeof ORGANIZATION_PERMISSIONS)[number];

/**
 * What the platform grants its operators. The first five are the plan's PatientList, PatientDetail,
 * AuditFull, CrossOrgLookup and Manage; patient access still goes through break-glass, per clinic.
 * Listing clinics (names, slugs) is not patient data and both operator roles need it.
 */
export const PLATFORM_PERMISSIONS = [
  'platform.patients.list',
  'platform.patients.detail',
  'platform.audit.full',
  'platform.cross_org_lookup',
  'platform.manage',
  'platform.organizations.read',
] as const;
export type PlatformPermission = (typeof PLATFORM_PERMISSIONS)[number];

export type Permission = OrganizationPermission | PlatformPermission;
export const PERMISSIONS: readonly Permission[] = [...ORGANIZATION_PERMISSIONS, ...PLATFORM_PERMISSIONS];

const EVERY_ORGANIZATION_PERMISSION: readonly OrganizationPermission[] = ORGANIZATION_PERMISSIONS;

export const SYSTEM_ROLE_PERMISSIONS: Record<MembershipRole, readonly OrganizationPermission[]> = {
  owner: EVERY_ORGANIZATION_PERMISSION,
  admin: EVERY_ORGANIZATION_PERMISSION.filter((permission) => permission !== 'billing.manage'),
  specialist: ['locations.read', 'members.read', 'patients.read', 'patients.manage'],
  receptionist: ['locations.read', 'members.read', 'patients.read', 'patients.manage'],
  billing: ['locations.read', 'members.read', 'billing.read', 'billing.manage'],
  // A member who works at the clinic without a clinical or administrative role: reads only.
  staff: ['locations.read', 'members.read'],
};

export const PLATFORM_ROLE_PERMISSIONS: Record<PlatformRole, readonly PlatformPermission[]> = {
  superadmin: PLATFORM_PERMISSIONS,
  support_engineer: ['platform.patients.list', 'platform.patients.detail', 'platform.audit.full', 'platform.organizations.read'],
};

export function permissionsOf(ctx: AuthContext): readonly Permission[] {
  const fromMembership = ctx.membershipRole === null ? [] : SYSTEM_ROLE_PERMISSIONS[ctx.membershipRole];
  const fromPlatform = ctx.platformRole === null ? [] : PLATFORM_ROLE_PERMISSIONS[ctx.platformRole];
  return [...fromMembership, ...fromPlatform];
}

export function can(ctx: AuthContext, permission: Permission): boolean {
  return permissionsOf(ctx).includes(permission);
}

/** Roles whose accounts must be protected by a second factor (TOTP) before they may act. */
export const SECOND_FACTOR_MEMBERSHIP_ROLES: readonly MembershipRole[] = ['owner', 'admin'];

export function requiresSecondFactor(ctx: Pick<AuthContext, 'membershipRole' | 'platformRole'>): boolean {
  return ctx.platformRole !== null || (ctx.membershipRole !== null && SECOND_FACTOR_MEMBERSHIP_ROLES.includes(ctx.membershipRole));
}
