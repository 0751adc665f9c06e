import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal } from '../infra/test/database.ts';
import { startTestStack, type TestStack } from '../infra/test/test-stack.ts';
import { addMembership, createCustomRole, createHuman, createLocation, createOrganization } from '../seeds/factories.ts';
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
  const related: Record<string, SyncedTable> = { organization: 'organizations', human: 'humans', customRole: 'organization_roles' };
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

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), seed);
  allLocationIds = (await stack.admin<{ id: string }[]>`select id from locations`).map((row) => row.id);
});
afterAll(async () => { await stack.stop(); });

describe('RLS and the query endpoint agree', () => {
  it('has principals of every role, a platform operator, inactive and closed rows', () => {
    expect(logins.length).toBe(CLINICS.length * MEMBERSHIP_ROLES.length + 5);
    expect(allLocationIds.length).toBe(9);
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

