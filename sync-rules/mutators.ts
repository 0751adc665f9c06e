import { defineMutators } from '@rocicorp/zero';
import { locationMutators } from './mutators/locations.ts';
import { memberMutators } from './mutators/members.ts';
import { organizationRoleMutators } from './mutators/organization-roles.ts';
import { organizationMutators } from './mutators/organizations.ts';
import { patientMutators, profileMutators } from './mutators/patients.ts';
import { patientTierMutators } from './mutators/patient-tiers.ts';

/**
 * Every write is one of these intentions. The client runs them optimistically; the server runs the
 * same code inside its transaction, after authentication and before the audit row.
 */
export const mutators = defineMutators({
  location: locationMutators,
  organization: organizationMutators,
  member: memberMutators,
  role: organizationRoleMutators,
  patient: patientMutators,
  profile: profileMutators,
  tier: patientTierMutators,
});

export type MutatorName =
  | 'location.create' | 'location.update' | 'location.setStatus'
  | 'organization.create'
  | 'member.changeRole' | 'member.remove'
  | 'role.create' | 'role.update' | 'role.delete'
  | 'patient.create' | 'patient.update' | 'patient.delete'
  | 'profile.update'
  | 'tier.create' | 'tier.update' | 'tier.setStatus' | 'tier.subscribe' | 'tier.setSubscriptionStatus';

/** How each intention is recorded in the audit log: a closed vocabulary. */
export const AUDIT_ACTIONS = {
  'location.create': { action: 'location.created', entityType: 'location' },
  'location.update': { action: 'location.updated', entityType: 'location' },
  'location.setStatus': { action: 'location.status_changed', entityType: 'location' },
  'organization.create': { action: 'organization.created', entityType: 'organization' },
  'member.changeRole': { action: 'membership.role_changed', entityType: 'membership' },
  'member.remove': { action: 'membership.removed', entityType: 'membership' },
  'role.create': { action: 'role.created', entityType: 'organization_role' },
  'role.update': { action: 'role.updated', entityType: 'organization_role' },
  'role.delete': { action: 'role.deleted', entityType: 'organization_role' },
  'patient.create': { action: 'patient.created', entityType: 'patient' },
  'patient.update': { action: 'patient.updated', entityType: 'patient' },
  'patient.delete': { action: 'patient.deleted', entityType: 'patient' },
  'profile.update': { action: 'patient_profile.updated', entityType: 'patient_profile' },
  'tier.create': { action: 'patient_tier.created', entityType: 'patient_tier' },
  'tier.update': { action: 'patient_tier.updated', entityType: 'patient_tier' },
  'tier.setStatus': { action: 'patient_tier.status_changed', entityType: 'patient_tier' },
  'tier.subscribe': { action: 'patient_subscription.created', entityType: 'patient_subscription' },
  'tier.setSubscriptionStatus': { action: 'patient_subscription.status_changed', entityType: 'patient_subscription' },
} as const satisfies Record<MutatorName, { action: string; entityType: string }>;

export function isMutatorName(name: string): name is MutatorName {
  return Object.hasOwn(AUDIT_ACTIONS, name);
}
