import { all, any, columnIsContext, columnIsNotNull, columnIsNull, contextIn, exists, holdsPermission, type AccessRule, type Predicate } from './access-rule.ts';
import { MEMBERSHIP_ROLES, PLATFORM_ROLES } from './context.ts';

const isMemberOfActiveOrganization = contextIn('membershipRole', MEMBERSHIP_ROLES);

/** A patient record that is not deleted and is about the person asking. */
const isOwnLivePatientRecord: Predicate = all(columnIsNull('deleted_at'), columnIsContext('principal_id', 'principalId'));

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
      // A patient sees the clinics that hold a record of them.
      exists({ relationship: 'patients', table: 'patients', childColumn: 'organization_id', parentColumn: 'id', where: isOwnLivePatientRecord }),
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
  patients: {
    table: 'patients',
    reason: "A clinic's records are seen by its members who may read patients, and each by the person it is about; a deleted record by nobody (its trash is a REST read).",
    predicate: all(
      columnIsNull('deleted_at'),
      any(
        all(columnIsContext('organization_id', 'organizationId'), holdsPermission('patients.read')),
        columnIsContext('principal_id', 'principalId'),
      ),
    ),
  },
  patient_profiles: {
    table: 'patient_profiles',
    reason: "The person sees their own profile; a clinic sees it through its live record of them, once shared with it (created by the clinic, or onboarding completed).",
    predicate: any(
      columnIsContext('principal_id', 'principalId'),
      exists({
        relationship: 'patients',
        table: 'patients',
        childColumn: 'patient_profile_id',
        parentColumn: 'id',
        where: all(
          columnIsContext('organization_id', 'organizationId'),
          holdsPermission('patients.read'),
          columnIsNull('deleted_at'),
          columnIsNotNull('profile_shared_at'),
        ),
      }),
    ),
  },
  // Patient tiers and subscriptions (migration 0021). Writes need billing.manage (restrictive policies there).
  patient_tiers: {
    table: 'patient_tiers',
    reason: "A clinic's tiers are seen by its people who handle billing or patients, and by the clinic's patients (the catalogue of a clinic they belong to).",
    predicate: any(
      all(columnIsContext('organization_id', 'organizationId'), any(holdsPermission('billing.read'), holdsPermission('billing.manage'), holdsPermission('patients.read'))),
      exists({ relationship: 'patients', table: 'patients', childColumn: 'organization_id', parentColumn: 'organization_id', where: isOwnLivePatientRecord }),
    ),
  },
  patient_subscriptions: {
    table: 'patient_subscriptions',
    reason: "A clinic's subscriptions are seen by its people who handle billing or patients, and each by the patient it is about, in every clinic.",
    predicate: any(
      all(columnIsContext('organization_id', 'organizationId'), any(holdsPermission('billing.read'), holdsPermission('billing.manage'), holdsPermission('patients.read'))),
      exists({ relationship: 'patient', table: 'patients', childColumn: 'id', parentColumn: 'patient_id', where: isOwnLivePatientRecord }),
    ),
  },
} as const satisfies Record<string, AccessRule>;

export type SyncedTable = keyof typeof ACCESS_RULES;
export const SYNCED_TABLES = Object.keys(ACCESS_RULES) as SyncedTable[];
