import { z } from 'zod';

/** The system roles of a clinic (see permissions.ts for what each grants). */
export const MEMBERSHIP_ROLES = ['owner', 'admin', 'specialist', 'receptionist', 'billing', 'staff'] as const;
export const PLATFORM_ROLES = ['superadmin', 'support_engineer'] as const;

export const ZMembershipRole = z.enum(MEMBERSHIP_ROLES);
export const ZPlatformRole = z.enum(PLATFORM_ROLES);
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
};

/** The names under which the context reaches Postgres as transaction-local settings. */
export const CONTEXT_SETTINGS = {
  principalId: 'app.principal_id',
  organizationId: 'app.organization_id',
  membershipRole: 'app.membership_role',
  platformRole: 'app.platform_role',
} as const satisfies Record<keyof AuthContext, string>;
