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
