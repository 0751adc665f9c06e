import { defineQueries, defineQuery } from '@rocicorp/zero';
import { z } from 'zod';
import { can } from './permissions.ts';
import { scoped, scopeSubquery } from './scope.ts';
import { zql } from './schema.ts';

const ZId = z.uuid();

/**
 * The named queries a client may subscribe to. Each starts from `scoped`, so arguments can narrow
 * what a principal sees but never widen it.
 */
export const queries = defineQueries({
  me: {
    profile: defineQuery(({ ctx }) => scoped('humans', ctx).where('principalId', ctx.principalId).one()),
    memberships: defineQuery(({ ctx }) =>
      scoped('memberships', ctx)
        .where('principalId', ctx.principalId)
        .related('organization', (q) => scopeSubquery('organizations', q, ctx))
        .related('customRole', (q) => scopeSubquery('organization_roles', q, ctx))),
    organizations: defineQuery(({ ctx }) => scoped('organizations', ctx).orderBy('name', 'asc')),
    /** The person's own profile, when they have one (created when they first join a clinic). */
    patientProfile: defineQuery(({ ctx }) => scoped('patient_profiles', ctx).where('principalId', ctx.principalId).one()),
    /** "My clinics": the person's record in every clinic that holds one, with the clinic. */
    patientRecords: defineQuery(({ ctx }) =>
      scoped('patients', ctx)
        .where('principalId', ctx.principalId)
        .related('organization', (q) => scopeSubquery('organizations', q, ctx))
        .orderBy('createdAt', 'asc')
        .orderBy('id', 'asc')),
    /** The tiers of every clinic the person is a patient of, archived ones too (a subscription may name one). */
    patientTiers: defineQuery(({ ctx }) =>
      scoped('patient_tiers', ctx)
        .whereExists('patients', (q) => q.where('principalId', ctx.principalId))
        .orderBy('name', 'asc')
        .orderBy('id', 'asc')),
    /** "My subscriptions": the person's own subscriptions in every clinic, with tier and clinic. */
    subscriptions: defineQuery(({ ctx }) =>
      scoped('patient_subscriptions', ctx)
        .whereExists('patient', (q) => q.where('principalId', ctx.principalId))
        .related('tier', (q) => scopeSubquery('patient_tiers', q, ctx))
        .related('organization', (q) => scopeSubquery('organizations', q, ctx))
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'asc')),
  },
  clinic: {
    locations: defineQuery(({ ctx }) =>
      scoped('locations', ctx).where('organizationId', ctx.organizationId ?? '').orderBy('name', 'asc').orderBy('id', 'asc')),
    location: defineQuery(ZId, ({ args: id, ctx }) => scoped('locations', ctx).where('id', id).one()),
    members: defineQuery(({ ctx }) =>
      scoped('memberships', ctx)
        .where('organizationId', ctx.organizationId ?? '')
        .related('human', (q) => scopeSubquery('humans', q, ctx))
        .related('customRole', (q) => scopeSubquery('organization_roles', q, ctx))),
    patients: defineQuery(({ ctx }) =>
      scoped('patients', ctx)
        .where('organizationId', ctx.organizationId ?? '')
        .related('profile', (q) => scopeSubquery('patient_profiles', q, ctx))
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'asc')),
    patient: defineQuery(ZId, ({ args: id, ctx }) =>
      scoped('patients', ctx)
        .where('id', id)
        .where('organizationId', ctx.organizationId ?? '')
        .related('profile', (q) => scopeSubquery('patient_profiles', q, ctx))
        .one()),
    roles: defineQuery(({ ctx }) =>
      scoped('organization_roles', ctx).where('organizationId', ctx.organizationId ?? '').orderBy('name', 'asc').orderBy('id', 'asc')),
    /** The clinic's tier catalogue, with the subscriptions of each (to count subscribers). */
    patientTiers: defineQuery(({ ctx }) =>
      scoped('patient_tiers', ctx)
        .where('organizationId', ctx.organizationId ?? '')
        .related('subscriptions', (q) => scopeSubquery('patient_subscriptions', q, ctx))
        .orderBy('name', 'asc')
        .orderBy('id', 'asc')),
    /** One patient's subscriptions in this clinic, newest first, with their tiers. */
    patientSubscriptions: defineQuery(ZId, ({ args: patientId, ctx }) =>
      scoped('patient_subscriptions', ctx)
        .where('organizationId', ctx.organizationId ?? '')
        .where('patientId', patientId)
        .related('tier', (q) => scopeSubquery('patient_tiers', q, ctx))
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'asc')),
  },
  console: {
    // Security: the console's list is for platform operators only, even though a clinic member's
    // rule would let them see their own clinics.
    organizations: defineQuery(({ ctx }) =>
      can(ctx, 'platform.organizations.read')
        ? scoped('organizations', ctx).orderBy('createdAt', 'desc').orderBy('id', 'asc')
        : zql.organizations.where(({ or }) => or())),
  },
});
