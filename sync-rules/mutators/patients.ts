import type { Transaction } from '@rocicorp/zero';
import { z } from 'zod';
import type { AuthContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { PATIENT_SEXES, zql } from '../schema.ts';
import { ZId, ZName, ZWriteId } from '../validation.ts';
import { defineWrite } from './define-write.ts';
import { requireOrganization, requirePermission } from './guards.ts';

const DAY_MS = 24 * 3600 * 1000;

/** A birth date as Zero carries it: the UTC midnight of the day, not in the future, not before 1900. */
const ZBirthDate = z.number().int()
  .refine((ms) => ms % DAY_MS === 0, 'a date, without a time of day')
  .refine((ms) => ms >= Date.UTC(1900, 0, 1) && ms <= Date.now(), 'between 1900 and today');

const ZSex = z.enum(PATIENT_SEXES).nullable();
const ZEmail = z.email().max(320).nullable();
const ZPhone = z.string().trim().regex(/^\+?[0-9 ()-]{6,32}$/, 'digits, spaces, brackets and dashes, with an optional +').nullable();
const ZLocale = z.enum(['ro', 'en']);

/** Changes to a person's details: only what is sent changes (no defaults here). */
const ZPersonChanges = z.object({
  givenName: ZName,
  familyName: ZName,
  birthDate: ZBirthDate.nullable(),
  sex: ZSex,
  email: ZEmail,
  phone: ZPhone,
  locale: ZLocale,
}).partial();

const ZPersonDetails = z.object({
  givenName: ZName,
  familyName: ZName,
  birthDate: ZBirthDate.nullable().default(null),
  sex: ZSex.default(null),
  email: ZEmail.default(null),
  phone: ZPhone.default(null),
  locale: ZLocale.default('ro'),
});

const ZExternalRef = z.string().trim().min(1).max(100).nullable();

export const ZCreatePatient = ZPersonDetails.extend({
  writeId: ZWriteId,
  id: ZId,
  profileId: ZId,
  externalRef: ZExternalRef.default(null),
});

export const ZUpdatePatient = z.object({
  writeId: ZWriteId,
  id: ZId,
  status: z.enum(['active', 'inactive']).optional(),
  externalRef: ZExternalRef.optional(),
  /** Details of a person the clinic created and who has not claimed them with an account yet. */
  person: ZPersonChanges.optional(),
});

export const ZDeletePatient = z.object({ writeId: ZWriteId, id: ZId });

export const ZUpdateOwnProfile = ZPersonChanges.extend({ writeId: ZWriteId, id: ZId });

async function loadClinicPatient(tx: Transaction, id: string, organizationId: string) {
  const patient = await tx.run(zql.patients.where('id', id).where('organizationId', organizationId).where('deletedAt', 'IS', null).one());
  // Security: the same answer for "missing", "deleted" and "not yours", so ids cannot be probed.
  if (patient === undefined) throw new DomainError('NOT_FOUND', 'patient not found');
  return patient;
}

function stamp(ctx: AuthContext) {
  return { updatedAt: Date.now(), updatedBy: ctx.principalId };
}

export const patientMutators = {
  /** A clinic registers a person who has no account (yet): an unclaimed profile and the clinic's record. */
  create: defineWrite(ZCreatePatient, async ({ tx, args, ctx }) => {
    requirePermission(ctx, 'patients.manage');
    const organizationId = requireOrganization(ctx);
    const now = Date.now();
    const by = { createdAt: now, updatedAt: now, createdBy: ctx.principalId, updatedBy: ctx.principalId };
    // The record first: RLS lets the clinic write the profile because its record of it exists.
    await tx.mutate.patients.insert({
      id: args.id,
      organizationId,
      patientProfileId: args.profileId,
      status: 'active',
      externalRef: args.externalRef,
      profileSharedAt: now,
      ...by,
    });
    await tx.mutate.patient_profiles.insert({
      id: args.profileId,
      managedByOrganizationId: organizationId,
      givenName: args.givenName,
      familyName: args.familyName,
      birthDate: args.birthDate,
      sex: args.sex,
      email: args.email,
      phone: args.phone,
      locale: args.locale,
      ...by,
    });
  }),

  update: defineWrite(ZUpdatePatient, async ({ tx, args, ctx }) => {
    requirePermission(ctx, 'patients.manage');
    const organizationId = requireOrganization(ctx);
    const patient = await loadClinicPatient(tx, args.id, organizationId);
    if (args.status !== undefined || args.externalRef !== undefined) {
      await tx.mutate.patients.update({
        id: args.id,
        ...(args.status === undefined ? {} : { status: args.status }),
        ...(args.externalRef === undefined ? {} : { externalRef: args.externalRef }),
        ...stamp(ctx),
      });
    }
    if (args.person !== undefined && Object.keys(args.person).length > 0) {
      const profile = await tx.run(zql.patient_profiles.where('id', patient.patientProfileId).one());
      if (profile === undefined) throw new DomainError('NOT_FOUND', 'patient not found');
      if (profile.managedByOrganizationId !== organizationId) {
        throw new DomainError('PROFILE_OWNED_BY_PATIENT', 'the patient keeps these details in their own account');
      }
      await tx.mutate.patient_profiles.update({ id: profile.id, ...args.person, ...stamp(ctx) });
    }
  }),

  /** Soft delete: hidden from every client at once, restorable from the trash, purged later. */
  delete: defineWrite(ZDeletePatient, async ({ tx, args, ctx }) => {
    requirePermission(ctx, 'patients.delete');
    const organizationId = requireOrganization(ctx);
    await loadClinicPatient(tx, args.id, organizationId);
    if (tx.location === 'server') {
      // Postgres checks an UPDATE's new row against the read policies too, and those hide deleted
      // records; the trash's setting admits them to patients.delete holders (0018), for this
      // transaction only.
      await tx.dbTransaction.query(`select set_config('app.patients_deleted', 'visible', true)`, []);
    }
    const now = Date.now();
    await tx.mutate.patients.update({ id: args.id, deletedAt: now, deletedBy: ctx.principalId, updatedAt: now, updatedBy: ctx.principalId });
  }),
};

export const profileMutators = {
  /** The person edits the profile their account holds; every clinic that shares it sees the change. */
  update: defineWrite(ZUpdateOwnProfile, async ({ tx, args, ctx }) => {
    const profile = await tx.run(zql.patient_profiles.where('id', args.id).where('principalId', ctx.principalId).one());
    if (profile === undefined) throw new DomainError('NOT_FOUND', 'profile not found');
    const { writeId: _writeId, ...changes } = args;
    await tx.mutate.patient_profiles.update({ ...changes, ...stamp(ctx) });
  }),
};
