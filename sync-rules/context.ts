import { z } from 'zod';
import type { OrganizationPermission } from './permissions.ts';

/** The system roles of a clinic (see permissions.ts for what each grants). */
export const SYSTEM_ROLES = ['owner', 'admin', 'specialist', 'receptionist', 'billing', 'staff'] as const;
/** A membership holds a system role, or `custom`: one of the clinic's own roles (organization_roles). */
export const MEMBERSHIP_ROLES = [...SYSTEM_ROLES, 'custom'] as const;
export const PLATFORM_ROLES = ['superadmin', 'support_engineer'] as const;

export const ZSystemRole = z.enum(SYSTEM_ROLES);
export const ZMembershipRole = z.enum(MEMBERSHIP_ROLES);
export const ZPlatformRole = z.enum(PLATFORM_ROLES);
export type SystemRole = z.infer<typeof ZSystemRole>;
export type MembershipRole = z.infer<typeof ZMembershipRole>;
export type PlatformRole = z.infer<typeof ZPlatformRole>;

/**
 * Who is asking, as established by the server from a verified token and the database.
 * Security: on the server nothing here comes from the client; the client's copy only drives
 * optimistic updates and is never trusted.
 */
export type AuthContext = {
  principalId: string;
  /** The organisation this session works in; null for platform operators outside any clinic. */
  organizationId: string | null;
  /** The principal's role in `organizationId`, read from `memberships`. */
  membershipRole: MembershipRole | null;
  platformRole: PlatformRole | null;
  /**
   * What the clinic's custom role grants, read from organization_roles with the membership; only
   * when `membershipRole` is `custom`. Absent means nothing: a custom role fails closed.
   */
  customRolePermissions?: readonly OrganizationPermission[] | undefined;
};

/** The names under which the context reaches Postgres as transaction-local settings. */
export const CONTEXT_SETTINGS = {
  principalId: 'app.principal_id',
  organizationId: 'app.organization_id',
  membershipRole: 'app.membership_role',
  platformRole: 'app.platform_role',
} as const satisfies Record<Exclude<keyof AuthContext, 'customRolePermissions'>, string>;

/** The organisation permissions the request holds, resolved by the server; what policies ask for. */
export const PERMISSIONS_SETTING = 'app.permissions';
