import type { AuthContext } from '../../sync-rules/context.ts';
import type { Session } from './session.ts';

export type SessionOrganization = Session['organizations'][number];

type MembershipRow = { readonly organizationId: string; readonly role: string; readonly organization?: { readonly name: string } | undefined };

/** The person's clinics from their synced memberships (`queries.me.memberships`), by name. */
export function organizationsFromMemberships(rows: readonly MembershipRow[]): SessionOrganization[] {
  return rows
    .flatMap((row) => (row.organization === undefined ? [] : [{ id: row.organizationId, name: row.organization.name, role: row.role }]))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function sameOrganizations(a: readonly SessionOrganization[], b: readonly SessionOrganization[]): boolean {
  return a.length === b.length && a.every((one, index) => one.id === b[index]?.id && one.name === b[index]?.name && one.role === b[index]?.role);
}

/** Whether the synced membership grants something other than the session's context says. */
export function roleDiffers(context: AuthContext, synced: Pick<AuthContext, 'membershipRole' | 'customRolePermissions'>): boolean {
  if (context.membershipRole !== synced.membershipRole) return true;
  if (synced.membershipRole !== 'custom') return false;
  const mine = [...(context.customRolePermissions ?? [])].sort().join(',');
  return mine !== [...(synced.customRolePermissions ?? [])].sort().join(',');
}
