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
