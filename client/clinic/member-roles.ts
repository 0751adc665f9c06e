import { SYSTEM_ROLES, type AuthContext, type MembershipRole } from '../../sync-rules/context.ts';
import { organizationPermissionsOf, SYSTEM_ROLE_PERMISSIONS, withinPermissions, type OrganizationPermission } from '../../sync-rules/permissions.ts';

export type CustomRoleView = { id: string; name: string; permissions: readonly OrganizationPermission[] };

/** One choice in a member's role picker: a system role, or one of the clinic's custom roles. */
export type RoleChoice = { value: string; role: MembershipRole; customRoleId: string | null; permissions: readonly OrganizationPermission[] };

export const choiceValue = (role: MembershipRole, customRoleId: string | null | undefined) =>
  role === 'custom' ? `custom:${customRoleId ?? ''}` : role;

export function roleChoices(customRoles: readonly CustomRoleView[]): RoleChoice[] {
  return [
    ...SYSTEM_ROLES.map((role) => ({ value: role, role, customRoleId: null, permissions: SYSTEM_ROLE_PERMISSIONS[role] })),
    ...customRoles.map((custom) => ({ value: choiceValue('custom', custom.id), role: 'custom' as const, customRoleId: custom.id, permissions: custom.permissions })),
  ];
}

/**
 * Whether `manager` may give this role, by the rules the server enforces (sync-rules/mutators/
 * members.ts): only owners make owners, and nobody grants more than they hold. The UI offers only
 * what would be accepted.
 */
export function mayGrant(manager: AuthContext, choice: RoleChoice): boolean {
  if (choice.role === 'owner' && manager.membershipRole !== 'owner') return false;
  return withinPermissions(choice.permissions, organizationPermissionsOf(manager));
}

/** Whether `manager` may change or remove a member currently holding `current`. */
export function mayManage(manager: AuthContext, memberPrincipalId: string, current: RoleChoice | undefined): boolean {
  if (memberPrincipalId === manager.principalId || current === undefined) return false;
  return mayGrant(manager, current);
}
