import { z } from 'zod';
import type { AuthContext, PlatformRole, SystemRole } from './context.ts';

/**
 * The one permission catalogue. Server mutators, REST routes, the UI and the access rules all ask
 * `can(ctx, permission)`; roles are constant maps in code, so a change of who may do what is a
 * reviewed commit. A clinic's custom roles grant subsets of ORGANIZATION_PERMISSIONS, never more
 * than the person defining them holds.
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
  // Soft-deleting, restoring and seeing the trash of patient records: weightier than editing them.
  'patients.delete',
  'service_accounts.manage',
  'audit.read',
  'billing.read',
  'billing.manage',
  'files.read',
  'files.manage',
] as const;
export type OrganizationPermission = (typeof ORGANIZATION_PERMISSIONS)[number];
export const ZOrganizationPermission = z.enum(ORGANIZATION_PERMISSIONS);

/**
 * What the platform grants its operators. The first five are the plan's PatientList, PatientDetail,
 * AuditFull, CrossOrgLookup and Manage; patient access still goes through break-glass, per clinic.
 * Listing clinics (names, slugs) is not patient data and both operator roles need it; so is the list
 * of operators, which support engineers read to know whom to escalate to (only superadmins change it).
 */
export const PLATFORM_PERMISSIONS = [
  'platform.patients.list',
  'platform.patients.detail',
  'platform.audit.full',
  'platform.cross_org_lookup',
  'platform.manage',
  'platform.organizations.read',
  'platform.operators.read',
] as const;
export type PlatformPermission = (typeof PLATFORM_PERMISSIONS)[number];

export type Permission = OrganizationPermission | PlatformPermission;
export const PERMISSIONS: readonly Permission[] = [...ORGANIZATION_PERMISSIONS, ...PLATFORM_PERMISSIONS];

const EVERY_ORGANIZATION_PERMISSION: readonly OrganizationPermission[] = ORGANIZATION_PERMISSIONS;

export const SYSTEM_ROLE_PERMISSIONS: Record<SystemRole, readonly OrganizationPermission[]> = {
  owner: EVERY_ORGANIZATION_PERMISSION,
  admin: EVERY_ORGANIZATION_PERMISSION.filter((permission) => permission !== 'billing.manage'),
  // Clinical and front-desk work brings documents (referrals, scans, consent forms): files too.
  specialist: ['locations.read', 'members.read', 'patients.read', 'patients.manage', 'files.read', 'files.manage'],
  receptionist: ['locations.read', 'members.read', 'patients.read', 'patients.manage', 'files.read', 'files.manage'],
  billing: ['locations.read', 'members.read', 'billing.read', 'billing.manage'],
  // A member who works at the clinic without a clinical or administrative role: reads only.
  staff: ['locations.read', 'members.read'],
};

export const PLATFORM_ROLE_PERMISSIONS: Record<PlatformRole, readonly PlatformPermission[]> = {
  superadmin: PLATFORM_PERMISSIONS,
  support_engineer: ['platform.patients.list', 'platform.patients.detail', 'platform.audit.full', 'platform.organizations.read', 'platform.operators.read'],
};

/** What the membership grants in the organisation the request works in. */
export function organizationPermissionsOf(ctx: Pick<AuthContext, 'membershipRole' | 'customRolePermissions'>): readonly OrganizationPermission[] {
  if (ctx.membershipRole === null) return [];
  if (ctx.membershipRole === 'custom') return ctx.customRolePermissions ?? [];
  return SYSTEM_ROLE_PERMISSIONS[ctx.membershipRole];
}

export function permissionsOf(ctx: AuthContext): readonly Permission[] {
  const fromPlatform = ctx.platformRole === null ? [] : PLATFORM_ROLE_PERMISSIONS[ctx.platformRole];
  return [...organizationPermissionsOf(ctx), ...fromPlatform];
}

export function can(ctx: AuthContext, permission: Permission): boolean {
  return permissionsOf(ctx).includes(permission);
}

/** True when `granted` gives nothing beyond what `holder` already has: nobody hands out more power than they hold. */
export function withinPermissions(granted: readonly OrganizationPermission[], holder: readonly OrganizationPermission[]): boolean {
  return granted.every((permission) => holder.includes(permission));
}

/**
 * Holding any of these makes an account worth taking over, so it must be protected by a second
 * factor before it may act: owners and admins, and any custom role that manages people, roles or keys.
 */
export const SECOND_FACTOR_PERMISSIONS: readonly OrganizationPermission[] = ['members.manage', 'roles.manage', 'service_accounts.manage'];

export function requiresSecondFactor(ctx: Pick<AuthContext, 'membershipRole' | 'platformRole' | 'customRolePermissions'>): boolean {
  return ctx.platformRole !== null || organizationPermissionsOf(ctx).some((permission) => SECOND_FACTOR_PERMISSIONS.includes(permission));
}
