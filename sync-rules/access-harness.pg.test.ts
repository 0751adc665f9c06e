import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal } from '../infra/test/database.ts';
import { startTestStack, type TestStack } from '../infra/test/test-stack.ts';
import { addMembership, createCustomRole, createHuman, createLocation, createOrganization, createPatient } from '../seeds/factories.ts';
import { createPatientSubscription, createPatientTier } from '../seeds/patient-tier-factories.ts';
import { SYNCED_TABLES, type SyncedTable } from './access-rules.ts';
import { MEMBERSHIP_ROLES } from './context.ts';
import { queries } from './queries.ts';

/**
 * The two compilations of the access rules must agree: for every principal (in every clinic they
 * belong to) and every synced table, the rows Postgres RLS shows equal the rows that principal's
 * named queries return through the query endpoint and zero-cache.
 */

type Login = { email: string; organizationSlug: string | null };

const CLINICS = [
  { slug: 'alpha', activated: true },
  { slug: 'beta', activated: true },
  { slug: 'gamma', activated: false },
];

const logins: Login[] = [];
const PRIMARY_KEY: Record<SyncedTable, string> = {
  organizations: 'id',
  locations: 'id',
  memberships: 'id',
  organization_roles: 'id',
  humans: 'principal_id',
  patient_profiles: 'id',
  patients: 'id',
  patient_tiers: 'id',
  patient_subscriptions: 'id',
};

async function seed(sql: Sql): Promise<void> {
  const orgIds: Record<string, string> = {};
  for (const clinic of CLINICS) {
    const orgId = await createOrganization(sql, { slug: clinic.slug, name: `Clinic ${clinic.slug}`, activated: clinic.activated });
    orgIds[clinic.slug] = orgId;
    let ownerId = '';
    for (const role of MEMBERSHIP_ROLES) {
      const email = `${role}@${clinic.slug}.test`;
      const principalId = await createHuman(sql, { email, name: `${role} ${clinic.slug}` });
      // A custom role of this clinic, defined by its owner (first in MEMBERSHIP_ROLES).
      const customRoleId = role === 'custom'
        ? await createCustomRole(sql, orgId, { name: 'Front desk', permissions: ['locations.read', 'members.read'], createdBy: ownerId })
        : null;
      await addMembership(sql, orgId, principalId, role, customRoleId);
      if (role === 'owner') ownerId = principalId;
      logins.push({ email, organizationSlug: clinic.slug });
    }
    await createLocation(sql, orgId, { slug: 'open', name: `${clinic.slug} open` });
    await createLocation(sql, orgId, { slug: 'paused', name: `${clinic.slug} paused`, status: 'inactive' });
    await createLocation(sql, orgId, { slug: 'gone', name: `${clinic.slug} gone`, status: 'closed' });
    // A patient the clinic registered (no account), and a record it soft-deleted.
    await createPatient(sql, orgId, { givenName: 'Ana', familyName: `Registered ${clinic.slug}`, createdBy: ownerId });
    await createPatient(sql, orgId, { givenName: 'Dan', familyName: `Deleted ${clinic.slug}`, createdBy: ownerId, deleted: { by: ownerId } });
  }
  // The same person, a patient of two clinics: onboarded in alpha (profile shared), not yet in beta,
  // and deleted from gamma's records. Another patient of alpha, who must not see the first.
  const patient = await createHuman(sql, { email: 'patient@two-clinics.test', name: 'Maria Two' });
  await createPatient(sql, orgIds.alpha ?? '', { principalId: patient, givenName: 'Maria', familyName: 'Two', createdBy: patient });
  await createPatient(sql, orgIds.beta ?? '', { principalId: patient, givenName: 'Maria', familyName: 'Two', createdBy: patient, shared: false });
  await createPatient(sql, orgIds.gamma ?? '', { principalId: patient, givenName: 'Maria', familyName: 'Two', createdBy: patient, deleted: { by: patient } });
  const neighbour = await createHuman(sql, { email: 'neighbour@alpha.test', name: 'Ion Neighbour' });
  await createPatient(sql, orgIds.alpha ?? '', { principalId: neighbour, givenName: 'Ion', familyName: 'Neighbour', createdBy: neighbour });
  logins.push({ email: 'patient@two-clinics.test', organizationSlug: null }, { email: 'neighbour@alpha.test', organizationSlug: null });
  // Patient tiers, an offered and an archived one per clinic, and a subscription for every record,
  // deleted ones included, in every status.
  const statuses = ['active', 'trialing', 'cancelled', 'past_due', 'expired'] as const;
  let nth = 0;
  for (const [slug, orgId] of Object.entries(orgIds)) {
    const [owner] = await sql<{ principal_id: string }[]>`select principal_id from memberships where organization_id = ${orgId} and role = 'owner'`;
    const createdBy = owner?.principal_id ?? '';
    const tierId = await createPatientTier(sql, orgId, { name: `Plan ${slug}`, priceMinor: 10000, billingPeriod: 'month', createdBy });
    await createPatientTier(sql, orgId, { name: `Old plan ${slug}`, priceMinor: 5000, billingPeriod: 'once', createdBy, status: 'archived' });
    for (const { id } of await sql<{ id: string }[]>`select id from patients where organization_id = ${orgId} order by id`) {
      await createPatientSubscription(sql, orgId, { patientId: id, tierId, createdBy, status: statuses[nth++ % statuses.length] ?? 'active' });
    }
  }
  // Someone who works in two clinics, tested in each.
  const both = await createHuman(sql, { email: 'locum@both.test', name: 'Locum' });
  await addMembership(sql, orgIds.alpha ?? '', both, 'staff');
  await addMembership(sql, orgIds.beta ?? '', both, 'admin');
  logins.push({ email: 'locum@both.test', organizationSlug: 'alpha' }, { email: 'locum@both.test', organizationSlug: 'beta' });
  // Platform operators and a person with no clinic at all.
  await createHuman(sql, { email: 'root@platform.test', name: 'Root', platformRole: 'superadmin' });
  await createHuman(sql, { email: 'help@platform.test', name: 'Help', platformRole: 'support_engineer' });
  await createHuman(sql, { email: 'nobody@nowhere.test', name: 'Nobody' });
  logins.push(
    { email: 'root@platform.test', organizationSlug: null },
    { email: 'help@platform.test', organizationSlug: null },
    { email: 'nobody@nowhere.test', organizationSlug: null },
  );
}

type Row = Record<string, unknown> & { id?: unknown; principalId?: unknown };

/** Walks a query result, filing each row (and each related row) under its table. */
function collect(into: Map<SyncedTable, Set<string>>, table: SyncedTable, rows: readonly Row[] | Row | undefined): void {
  const list: readonly Row[] = rows === undefined ? [] : Array.isArray(rows) ? (rows as readonly Row[]) : [rows as Row];
  const related: Record<string, SyncedTable> = {
    organization: 'organizations', human: 'humans', customRole: 'organization_roles', profile: 'patient_profiles',
    tier: 'patient_tiers', subscriptions: 'patient_subscriptions',
  };
  for (const row of list) {
    const key = table === 'humans' ? row.principalId : row.id;
    into.get(table)?.add(String(key));
    for (const [field, relatedTable] of Object.entries(related)) {
      if (field in row) collect(into, relatedTable, row[field] as Row | undefined);
    }
  }
}

let stack: TestStack;
let allLocationIds: string[] = [];
let allPatientIds: string[] = [];

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), seed);
  allLocationIds = (await stack.admin<{ id: string }[]>`select id from locations`).map((row) => row.id);
  allPatientIds = (await stack.admin<{ id: string }[]>`select id from patients`).map((row) => row.id);
});
afterAll(async () => { await stack.stop(); });

describe('RLS and the query endpoint agree', () => {
  it('has principals of every role, a platform operator, inactive and closed rows, patients and deleted records', async () => {
    expect(logins.length).toBe(CLINICS.length * MEMBERSHIP_ROLES.length + 7);
    expect(allLocationIds.length).toBe(9);
    expect(allPatientIds.length).toBe(10);
    const [deleted] = await stack.admin<{ count: number }[]>`select count(*)::int as count from patients where deleted_at is not null`;
    expect(deleted?.count).toBe(4);
    const [billing] = await stack.admin<{ tiers: number; subscriptions: number }[]>`
      select (select count(*)::int from patient_tiers) as tiers, (select count(*)::int from patient_subscriptions) as subscriptions`;
    expect(billing).toEqual({ tiers: 6, subscriptions: 10 });
  });

  it('show each clinic its own patient records only, hide deleted ones, and profiles only once shared', async () => {
    const orgIdBySlug = new Map((await stack.admin<{ id: string; slug: string }[]>`select id, slug from organizations`).map((o) => [o.slug, o.id]));
    const seen = async (email: string, slug: string | null) => {
      const session = await stack.login(email, slug === null ? undefined : orgIdBySlug.get(slug));
      return asPrincipal(stack.api, session.context, async (tx) => ({
        records: (await tx<{ name: string }[]>`select o.slug || ':' || coalesce(pp.family_name, '?') as name from patients p
          join organizations o on o.id = p.organization_id left join patient_profiles pp on pp.id = p.patient_profile_id order by 1`).map((r) => r.name),
        profiles: (await tx<{ name: string }[]>`select family_name as name from patient_profiles order by 1`).map((r) => r.name),
        clinics: (await tx<{ slug: string }[]>`select slug from organizations order by 1`).map((r) => r.slug),
      }));
    };
    // Maria is a patient of alpha (onboarded) and beta (not yet); each clinic sees its own record only.
    expect(await seen('owner@alpha.test', 'alpha')).toMatchObject({
      records: ['alpha:Neighbour', 'alpha:Registered alpha', 'alpha:Two'],
      profiles: ['Neighbour', 'Registered alpha', 'Two'],
    });
    expect(await seen('owner@beta.test', 'beta')).toMatchObject({ records: ['beta:?', 'beta:Registered beta'], profiles: ['Registered beta'] });
    // Deleted from gamma's records: gamma sees neither her record nor her profile, nor its deleted Dan.
    expect(await seen('owner@gamma.test', 'gamma')).toMatchObject({ records: ['gamma:Registered gamma'], profiles: ['Registered gamma'] });
    // A member without patients.read sees no patient at all.
    expect(await seen('staff@alpha.test', 'alpha')).toMatchObject({ records: [], profiles: [] });
    // The person sees their records in both clinics, and those clinics; another patient of alpha sees only their own.
    expect(await seen('patient@two-clinics.test', null)).toEqual({ records: ['alpha:Two', 'beta:Two'], profiles: ['Two'], clinics: ['alpha', 'beta'] });
    expect(await seen('neighbour@alpha.test', null)).toEqual({ records: ['alpha:Neighbour'], profiles: ['Neighbour'], clinics: ['alpha'] });
  });

  it('for every principal and every synced table', { timeout: 240_000 }, async () => {
    const orgIdBySlug = new Map((await stack.admin<{ id: string; slug: string }[]>`select id, slug from organizations`).map((o) => [o.slug, o.id]));
    const compared: string[] = [];
    for (const login of logins) {
      const organizationId = login.organizationSlug === null ? undefined : orgIdBySlug.get(login.organizationSlug);
      const session = await stack.login(login.email, organizationId);
      const label = `${login.email} in ${login.organizationSlug ?? '(no clinic)'}`;

      const viaRls = new Map<SyncedTable, Set<string>>();
      await asPrincipal(stack.api, session.context, async (tx) => {
        for (const table of SYNCED_TABLES) {
          const rows = await tx.unsafe<Row[]>(`select ${PRIMARY_KEY[table]}::text as key from ${table}`);
          viaRls.set(table, new Set(rows.map((row) => String(row.key))));
        }
      });

      const zero = stack.zeroAs(session);
      const viaSync = new Map<SyncedTable, Set<string>>(SYNCED_TABLES.map((table) => [table, new Set<string>()]));
      const complete = { type: 'complete' } as const;
      collect(viaSync, 'humans', await zero.run(queries.me.profile(), complete));
      collect(viaSync, 'memberships', await zero.run(queries.me.memberships(), complete));
      collect(viaSync, 'organizations', await zero.run(queries.me.organizations(), complete));
      collect(viaSync, 'locations', await zero.run(queries.clinic.locations(), complete));
      collect(viaSync, 'memberships', await zero.run(queries.clinic.members(), complete));
      collect(viaSync, 'organization_roles', await zero.run(queries.clinic.roles(), complete));
      collect(viaSync, 'organizations', await zero.run(queries.console.organizations(), complete));
      collect(viaSync, 'patient_profiles', await zero.run(queries.me.patientProfile(), complete));
      collect(viaSync, 'patients', await zero.run(queries.me.patientRecords(), complete));
      collect(viaSync, 'patients', await zero.run(queries.clinic.patients(), complete));
      // Every record, deleted ones and other clinics' too: an id never opens a record.
      for (const id of allPatientIds) collect(viaSync, 'patients', await zero.run(queries.clinic.patient(id), complete));
      collect(viaSync, 'patient_tiers', await zero.run(queries.clinic.patientTiers(), complete));
      collect(viaSync, 'patient_tiers', await zero.run(queries.me.patientTiers(), complete));
      collect(viaSync, 'patient_subscriptions', await zero.run(queries.me.subscriptions(), complete));
      for (const id of allPatientIds) collect(viaSync, 'patient_subscriptions', await zero.run(queries.clinic.patientSubscriptions(id), complete));
      // Every location id in the database, including other clinics': arguments never widen a slice.
      for (const id of allLocationIds) collect(viaSync, 'locations', await zero.run(queries.clinic.location(id), complete));
      await zero.close();

      for (const table of SYNCED_TABLES) {
        expect([...(viaSync.get(table) ?? [])].sort(), `${label}: ${table}`).toEqual([...(viaRls.get(table) ?? [])].sort());
        compared.push(`${label}:${table}`);
      }
    }
    expect(compared.length).toBe(logins.length * SYNCED_TABLES.length);
  });
});

