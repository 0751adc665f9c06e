import { createBuilder, createSchema, json, number, relationships, string, table } from '@rocicorp/zero';
import type { AuthContext, MembershipRole } from './context.ts';
import type { OrganizationPermission } from './permissions.ts';
import type { BillingPeriod, SubscriptionStatus, TierStatus } from './mutators/patient-tiers.ts';

export const PATIENT_SEXES = ['female', 'male', 'other', 'undisclosed'] as const;
export type PatientSex = (typeof PATIENT_SEXES)[number];

// Timestamps are epoch milliseconds on the client (Zero maps timestamptz to number).

const organizations = table('organizations')
  .columns({
    id: string(),
    slug: string(),
    name: string(),
    tenancyMode: string<'shared' | 'dedicated'>().from('tenancy_mode'),
    activatedAt: number().optional().from('activated_at'),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
  })
  .primaryKey('id');

const memberships = table('memberships')
  .columns({
    id: string(),
    organizationId: string().from('organization_id'),
    principalId: string().from('principal_id'),
    role: string<MembershipRole>(),
    customRoleId: string().optional().from('custom_role_id'),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
    updatedBy: string().optional().from('updated_by'),
  })
  .primaryKey('id');

// Named as in SQL: access rules address tables by their SQL name.
const organizationRoles = table('organization_roles')
  .columns({
    id: string(),
    organizationId: string().from('organization_id'),
    name: string(),
    description: string(),
    permissions: json<OrganizationPermission[]>(),
    createdBy: string().from('created_by'),
    updatedBy: string().from('updated_by'),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
  })
  .primaryKey('id');

const locations = table('locations')
  .columns({
    id: string(),
    organizationId: string().from('organization_id'),
    slug: string(),
    name: string(),
    address: string(),
    city: string(),
    country: string(),
    status: string<'active' | 'inactive' | 'closed'>(),
    closedAt: number().optional().from('closed_at'),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
  })
  .primaryKey('id');

const humans = table('humans')
  .columns({
    principalId: string().from('principal_id'),
    email: string(),
    name: string(),
    locale: string<'ro' | 'en'>(),
  })
  .primaryKey('principalId');

// The person (ADR 0019): owned by their account once claimed; until then by the clinic that created it.
const patientProfiles = table('patient_profiles')
  .columns({
    id: string(),
    principalId: string().optional().from('principal_id'),
    managedByOrganizationId: string().optional().from('managed_by_organization_id'),
    givenName: string().from('given_name'),
    familyName: string().from('family_name'),
    // Zero carries a date as the epoch milliseconds of its UTC midnight: a birth date has no time zone.
    birthDate: number().optional().from('birth_date'),
    sex: string<PatientSex>().optional(),
    email: string().optional(),
    phone: string().optional(),
    locale: string<'ro' | 'en'>(),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
    createdBy: string().from('created_by'),
    updatedBy: string().from('updated_by'),
  })
  .primaryKey('id');

// One clinic's record of a person. Soft-deleted records never reach a client (access rules).
const patients = table('patients')
  .columns({
    id: string(),
    organizationId: string().from('organization_id'),
    patientProfileId: string().from('patient_profile_id'),
    principalId: string().optional().from('principal_id'),
    status: string<'active' | 'inactive'>(),
    externalRef: string().optional().from('external_ref'),
    profileSharedAt: number().optional().from('profile_shared_at'),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
    createdBy: string().from('created_by'),
    updatedBy: string().from('updated_by'),
    deletedAt: number().optional().from('deleted_at'),
    deletedBy: string().optional().from('deleted_by'),
  })
  .primaryKey('id');

const organizationRelationships = relationships(organizations, ({ many }) => ({
  memberships: many({ sourceField: ['id'], destField: ['organizationId'], destSchema: memberships }),
  locations: many({ sourceField: ['id'], destField: ['organizationId'], destSchema: locations }),
  roles: many({ sourceField: ['id'], destField: ['organizationId'], destSchema: organizationRoles }),
  patients: many({ sourceField: ['id'], destField: ['organizationId'], destSchema: patients }),
}));

const membershipRelationships = relationships(memberships, ({ one }) => ({
  human: one({ sourceField: ['principalId'], destField: ['principalId'], destSchema: humans }),
  organization: one({ sourceField: ['organizationId'], destField: ['id'], destSchema: organizations }),
  customRole: one({ sourceField: ['customRoleId'], destField: ['id'], destSchema: organizationRoles }),
}));

const organizationRoleRelationships = relationships(organizationRoles, ({ many }) => ({
  holders: many({ sourceField: ['id'], destField: ['customRoleId'], destSchema: memberships }),
}));

const humanRelationships = relationships(humans, ({ many }) => ({
  memberships: many({ sourceField: ['principalId'], destField: ['principalId'], destSchema: memberships }),
}));

const patientProfileRelationships = relationships(patientProfiles, ({ many }) => ({
  patients: many({ sourceField: ['id'], destField: ['patientProfileId'], destSchema: patients }),
}));

const patientRelationships = relationships(patients, ({ one }) => ({
  profile: one({ sourceField: ['patientProfileId'], destField: ['id'], destSchema: patientProfiles }),
  organization: one({ sourceField: ['organizationId'], destField: ['id'], destSchema: organizations }),
}));

// A clinic's catalogue of patient tiers and its patients' subscriptions (migration 0021).
const patientTiers = table('patient_tiers')
  .columns({
    id: string(),
    organizationId: string().from('organization_id'),
    name: string(),
    description: string(),
    priceMinor: number().from('price_minor'),
    currency: string(),
    billingPeriod: string<BillingPeriod>().from('billing_period'),
    status: string<TierStatus>(),
    createdBy: string().from('created_by'),
    updatedBy: string().from('updated_by'),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
  })
  .primaryKey('id');

const patientSubscriptions = table('patient_subscriptions')
  .columns({
    id: string(),
    organizationId: string().from('organization_id'),
    patientId: string().from('patient_id'),
    tierId: string().from('tier_id'),
    status: string<SubscriptionStatus>(),
    startedAt: number().from('started_at'),
    currentPeriodEnd: number().optional().from('current_period_end'),
    cancelledAt: number().optional().from('cancelled_at'),
    createdBy: string().from('created_by'),
    updatedBy: string().from('updated_by'),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
  })
  .primaryKey('id');

const patientTierRelationships = relationships(patientTiers, ({ one, many }) => ({
  organization: one({ sourceField: ['organizationId'], destField: ['id'], destSchema: organizations }),
  // The clinic's patient records, for the rule that shows a patient their clinics' tiers.
  patients: many({ sourceField: ['organizationId'], destField: ['organizationId'], destSchema: patients }),
  subscriptions: many({ sourceField: ['id'], destField: ['tierId'], destSchema: patientSubscriptions }),
}));

const patientSubscriptionRelationships = relationships(patientSubscriptions, ({ one }) => ({
  patient: one({ sourceField: ['patientId'], destField: ['id'], destSchema: patients }),
  tier: one({ sourceField: ['tierId'], destField: ['id'], destSchema: patientTiers }),
  organization: one({ sourceField: ['organizationId'], destField: ['id'], destSchema: organizations }),
}));

export const schema = createSchema({
  tables: [organizations, memberships, organizationRoles, locations, humans, patientProfiles, patients, patientTiers, patientSubscriptions],
  relationships: [
    organizationRelationships, membershipRelationships, organizationRoleRelationships, humanRelationships,
    patientProfileRelationships, patientRelationships,
    patientTierRelationships, patientSubscriptionRelationships,
  ],
  // Security: only our named queries and custom mutators; no client-built queries, no CRUD pushes.
  enableLegacyQueries: false,
  enableLegacyMutators: false,
});

export type Schema = typeof schema;
export const zql = createBuilder(schema);

declare module '@rocicorp/zero' {
  interface DefaultTypes {
    schema: Schema;
    context: AuthContext;
  }
}
