import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { createHuman } from '../../seeds/factories.ts';

/**
 * Fixtures for the consent and notice tests, written as the bootstrap superuser (set up, not
 * requested): a person's profile and their record in a clinic, and a published notice.
 */

/** The person's profile (created once) and their record in `organizationId`; shared with the clinic or not. */
export async function enrolPatient(admin: Sql, organizationId: string, principalId: string, options: { shared?: boolean } = {}): Promise<string> {
  const [existing] = await admin<{ id: string }[]>`select id from patient_profiles where principal_id = ${principalId}`;
  const profileId = existing?.id ?? randomUUID();
  if (existing === undefined) {
    await admin`insert into patient_profiles (id, principal_id, given_name, family_name, email, locale, created_by, updated_by)
      select ${profileId}, ${principalId}, split_part(h.name, ' ', 1), 'Test', h.email, h.locale, ${principalId}, ${principalId}
      from humans h where h.principal_id = ${principalId}`;
  }
  const patientId = randomUUID();
  await admin`insert into patients (id, organization_id, patient_profile_id, principal_id, profile_shared_at, created_by, updated_by)
    values (${patientId}, ${organizationId}, ${profileId}, ${principalId}, ${options.shared === true ? admin`now()` : null}, ${principalId}, ${principalId})`;
  return patientId;
}

/** A person with an account who is a patient of each clinic given. */
export async function createPatientPerson(admin: Sql, email: string, clinics: { organizationId: string; shared?: boolean }[]): Promise<{ principalId: string; patients: string[] }> {
  const principalId = await createHuman(admin, { email, name: `${email.split('@')[0] ?? email} Test`, locale: 'en' });
  const patients: string[] = [];
  for (const clinic of clinics) patients.push(await enrolPatient(admin, clinic.organizationId, principalId, { shared: clinic.shared ?? false }));
  return { principalId, patients };
}

/** Publishes a notice version of the clinic from the latest template, naming `by`; returns its version. */
export async function publishNoticeAsAdmin(admin: Sql, organizationId: string, by: string, material = true): Promise<number> {
  const [row] = await admin<{ version: number }[]>`
    insert into privacy_notices (organization_id, template_id, placeholder_values, chosen_sections, rendered, material, created_by)
    select ${organizationId}, t.id, '{}'::jsonb, '[]'::jsonb, '{"en": "Notice", "ro": "Notă"}'::jsonb, ${material}, ${by}
    from privacy_notice_templates t order by t.version desc limit 1
    returning version`;
  if (row === undefined) throw new Error('no template to publish a notice from');
  return row.version;
}

/** The latest version of the platform terms. */
export async function currentTermsVersion(admin: Sql): Promise<number> {
  const [row] = await admin<{ version: number }[]>`select max(version)::int as version from platform_terms_versions`;
  return row?.version ?? 0;
}
