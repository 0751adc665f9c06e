import type { z } from 'zod';
import type { MutatorName } from '../../sync-rules/mutators.ts';
import { ZCreateLocation, ZSetLocationStatus, ZUpdateLocation } from '../../sync-rules/mutators/locations.ts';
import { ZChangeMemberRole, ZRemoveMember } from '../../sync-rules/mutators/members.ts';
import { ZCreateRole, ZDeleteRole, ZUpdateRole } from '../../sync-rules/mutators/organization-roles.ts';
import { ZCreateOrganization } from '../../sync-rules/mutators/organizations.ts';
import { ZCreateTier, ZSetSubscriptionStatus, ZSetTierStatus, ZSubscribePatient, ZUpdateTier } from '../../sync-rules/mutators/patient-tiers.ts';
import { ZCreatePatient, ZDeletePatient, ZUpdateOwnProfile, ZUpdatePatient } from '../../sync-rules/mutators/patients.ts';

/** The argument schema of each mutator, by name, for typed submits and for reading outbox entries back. */
export const WRITE_SCHEMAS = {
  'location.create': ZCreateLocation,
  'location.update': ZUpdateLocation,
  'location.setStatus': ZSetLocationStatus,
  'organization.create': ZCreateOrganization,
  'member.changeRole': ZChangeMemberRole,
  'member.remove': ZRemoveMember,
  'role.create': ZCreateRole,
  'role.update': ZUpdateRole,
  'role.delete': ZDeleteRole,
  'patient.create': ZCreatePatient,
  'patient.update': ZUpdatePatient,
  'patient.delete': ZDeletePatient,
  'profile.update': ZUpdateOwnProfile,
  'tier.create': ZCreateTier,
  'tier.update': ZUpdateTier,
  'tier.setStatus': ZSetTierStatus,
  'tier.subscribe': ZSubscribePatient,
  'tier.setSubscriptionStatus': ZSetSubscriptionStatus,
} as const satisfies Record<MutatorName, z.ZodType>;

export type WriteArgs<N extends MutatorName> = z.output<(typeof WRITE_SCHEMAS)[N]>;

/** A fresh id for one intended write; the server applies each at most once. */
export function newWriteId(): string {
  return crypto.randomUUID();
}
