import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type { MembershipRole, PlatformRole } from '../sync-rules/context.ts';
import type { LocationStatus } from '../sync-rules/mutators/locations.ts';
import type { OrganizationPermission } from '../sync-rules/permissions.ts';

/**
 * Typed factories shared by the demo seed, tests, e2e and benchmarks. They write with a connection
 * that bypasses RLS (the bootstrap superuser): fixtures are set up, not requested.
 */

export type HumanSpec = { email: string; name: string; locale?: 'ro' | 'en'; platformRole?: PlatformRole | null };
export type OrganizationSpec = { slug: string; name: string; activated?: boolean };
export type LocationSpec = { slug: string; name: string; city?: string; country?: string; address?: string; status?: LocationStatus };

export async function createHuman(sql: Sql, spec: HumanSpec): Promise<string> {
  const id = randomUUID();
  await sql`insert into principals (id, kind) values (${id}, 'human')`;
  await sql`insert into humans (principal_id, email, name, locale, platform_role)
    values (${id}, ${spec.email.toLowerCase()}, ${spec.name}, ${spec.locale ?? 'ro'}, ${spec.platformRole ?? null})`;
  return id;
}

export async function createOrganization(sql: Sql, spec: OrganizationSpec): Promise<string> {
  const id = randomUUID();
  await sql`insert into organizations (id, slug, name, activated_at)
    values (${id}, ${spec.slug}, ${spec.name}, ${spec.activated === false ? null : sql`now()`})`;
  return id;
}

/** A membership with a system role, or with `custom` and the id of one of the clinic's custom roles. */
export async function addMembership(sql: Sql, organizationId: string, principalId: string, role: MembershipRole, customRoleId: string | null = null): Promise<string> {
  const id = randomUUID();
  await sql`insert into memberships (id, organization_id, principal_id, role, custom_role_id)
    values (${id}, ${organizationId}, ${principalId}, ${role}, ${customRoleId})`;
  return id;
}

export type CustomRoleSpec = { name: string; permissions: readonly OrganizationPermission[]; createdBy: string; description?: string };

export async function createCustomRole(sql: Sql, organizationId: string, spec: CustomRoleSpec): Promise<string> {
  const id = randomUUID();
  await sql`insert into organization_roles (id, organization_id, name, description, permissions, created_by, updated_by)
    values (${id}, ${organizationId}, ${spec.name}, ${spec.description ?? ''}, ${sql.json([...spec.permissions])}, ${spec.createdBy}, ${spec.createdBy})`;
  return id;
}

export async function createLocation(sql: Sql, organizationId: string, spec: LocationSpec): Promise<string> {
  const id = randomUUID();
  await sql`insert into locations (id, organization_id, slug, name, address, city, country, status)
    values (${id}, ${organizationId}, ${spec.slug}, ${spec.name}, ${spec.address ?? ''}, ${spec.city ?? ''},
            ${spec.country ?? ''}, ${spec.status ?? 'active'})`;
  return id;
}

export type PatientSpec = {
  /** The clinic's record is about this person's account; without one, the clinic holds an unclaimed profile. */
  principalId?: string;
  givenName: string;
  familyName: string;
  email?: string | null;
  phone?: string | null;
  birthDate?: string | null;
  /** Who wrote the record: the clinic member who registered the person, or the person who joined. */
  createdBy: string;
  /** Whether the clinic sees the profile (a clinic's own patient, or onboarding completed); default yes. */
  shared?: boolean;
  deleted?: { at?: Date; by: string };
};

/**
 * A patient record of `organizationId` and the profile it is about. A person with an account keeps
 * one profile across clinics: it is created on their first record and reused after.
 */
export async function createPatient(sql: Sql, organizationId: string, spec: PatientSpec): Promise<{ patientId: string; profileId: string }> {
  const patientId = randomUUID();
  const [existing] = spec.principalId === undefined ? [] : await sql<{ id: string }[]>`select id from patient_profiles where principal_id = ${spec.principalId}`;
  const profileId = existing?.id ?? randomUUID();
  await sql.begin(async (tx) => {
    if (existing === undefined) {
      await tx`insert into patient_profiles (id, principal_id, managed_by_organization_id, given_name, family_name, email, phone, birth_date, created_by, updated_by)
        values (${profileId}, ${spec.principalId ?? null}, ${spec.principalId === undefined ? organizationId : null}, ${spec.givenName}, ${spec.familyName},
                ${spec.email ?? null}, ${spec.phone ?? null}, ${spec.birthDate ?? null}, ${spec.createdBy}, ${spec.createdBy})`;
    }
    await tx`insert into patients (id, organization_id, patient_profile_id, principal_id, profile_shared_at, created_by, updated_by, deleted_at, deleted_by)
      values (${patientId}, ${organizationId}, ${profileId}, ${spec.principalId ?? null}, ${spec.shared === false ? null : tx`now()`}, ${spec.createdBy}, ${spec.createdBy},
              ${spec.deleted === undefined ? null : (spec.deleted.at ?? new Date())}, ${spec.deleted?.by ?? null})`;
  });
  return { patientId, profileId };
}
