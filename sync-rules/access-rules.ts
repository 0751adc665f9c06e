import { all, any, columnIsContext, contextIn, exists, type AccessRule } from './access-rule.ts';
import { MEMBERSHIP_ROLES, PLATFORM_ROLES } from './context.ts';

const isMemberOfActiveOrganization = contextIn('membershipRole', MEMBERSHIP_ROLES);

/**
 * One rule per synced table. A table that is not here syncs nothing and, under forced RLS,
 * is invisible to the runtime role.
 */
export const ACCESS_RULES = {
  organizations: {
    table: 'organizations',
    reason: 'Platform operators list every clinic; a person sees the clinics they belong to.',
    predicate: any(
      contextIn('platformRole', PLATFORM_ROLES),
      exists({
        relationship: 'memberships',
        table: 'memberships',
        childColumn: 'organization_id',
        parentColumn: 'id',
        where: columnIsContext('principal_id', 'principalId'),
      }),
    ),
  },
  locations: {
    table: 'locations',
    reason: 'Locations belong to one clinic and are seen by its members only, in every status.',
    predicate: all(columnIsContext('organization_id', 'organizationId'), isMemberOfActiveOrganization),
  },
  organization_roles: {
    table: 'organization_roles',
    reason: "A clinic's custom roles are seen by its members, to name everyone's role, and by whoever holds one (their own permissions).",
    predicate: any(
      all(columnIsContext('organization_id', 'organizationId'), isMemberOfActiveOrganization),
      exists({
        relationship: 'holders',
        table: 'memberships',
        childColumn: 'custom_role_id',
        parentColumn: 'id',
        where: columnIsContext('principal_id', 'principalId'),
      }),
    ),
  },
  memberships: {
    table: 'memberships',
    reason: 'A person sees their own memberships (to switch clinic); members see who else works there.',
    predicate: any(
      columnIsContext('principal_id', 'principalId'),
      all(columnIsContext('organization_id', 'organizationId'), isMemberOfActiveOrganization),
    ),
  },
  humans: {
    table: 'humans',
    reason: 'Everyone sees themself; clinic members see the people of their clinic.',
    predicate: any(
      columnIsContext('principal_id', 'principalId'),
      all(
        isMemberOfActiveOrganization,
        exists({
          relationship: 'memberships',
          table: 'memberships',
          childColumn: 'principal_id',
          parentColumn: 'principal_id',
          where: columnIsContext('organization_id', 'organizationId'),
        }),
      ),
    ),
  },
} as const satisfies Record<string, AccessRule>;

export type SyncedTable = keyof typeof ACCESS_RULES;
export const SYNCED_TABLES = Object.keys(ACCESS_RULES) as SyncedTable[];
