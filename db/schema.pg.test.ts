import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMembership, createHuman, createLocation, createOrganization } from '../seeds/factories.ts';
import { asPrincipal, freshDatabase, type TestDatabase } from '../infra/test/database.ts';
import { SYNCED_TABLES } from '../sync-rules/access-rules.ts';
import type { AuthContext } from '../sync-rules/context.ts';
import { generatedPolicies } from './generate-policies.ts';
import { migrate, POLICIES_FILE } from './migrate.ts';
import { ROLES, SYNC_PUBLICATION } from './roles.ts';

let db: TestDatabase;
let admin: AuthContext;
let orgId: string;

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  orgId = await createOrganization(db.admin, { slug: 'acme', name: 'Acme' });
  const principalId = await createHuman(db.admin, { email: 'a@acme.test', name: 'A' });
  await addMembership(db.admin, orgId, principalId, 'admin');
  admin = { principalId, organizationId: orgId, membershipRole: 'admin', platformRole: null };
});
afterAll(async () => { await db.close(); });

describe('roles', () => {
  it('runs requests as a role that cannot bypass RLS and owns nothing', async () => {
    const [role] = await db.admin`select rolbypassrls, rolsuper, rolcanlogin from pg_roles where rolname = ${ROLES.runtime}`;
    expect(role).toEqual({ rolbypassrls: false, rolsuper: false, rolcanlogin: false });
    const owned = await db.admin`
      select c.relname from pg_class c join pg_roles r on r.oid = c.relowner
      where r.rolname in (${ROLES.runtime}, ${ROLES.api})`;
    expect(owned).toEqual([]);
  });

  it('gives the api login nothing until it takes the runtime role', async () => {
    await expect(db.api`select * from locations`).rejects.toThrow(/permission denied/);
  });
});

describe('row-level security', () => {
  it('is enabled and forced on every table of the public schema', async () => {
    const tables = await db.admin<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }[]>`
      select relname, relrowsecurity, relforcerowsecurity from pg_class
      where relnamespace = 'public'::regnamespace and relkind = 'r' and relname <> 'schema_migrations'`;
    expect(tables.length).toBeGreaterThanOrEqual(7);
    for (const table of tables) expect(table, table.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it('shows nothing when no principal is set (deny by default)', async () => {
    const rows = await db.api.begin(async (tx) => {
      await tx.unsafe(`set local role ${ROLES.runtime}`);
      return tx`select id from locations`;
    });
    expect(rows).toEqual([]);
  });

  it('shows nothing of a table that has RLS forced and no rule', async () => {
    await db.admin`create table if not exists unruled (id int primary key, organization_id uuid)`;
    await db.admin`alter table unruled enable row level security`;
    await db.admin`alter table unruled force row level security`;
    await db.admin.unsafe(`grant select on unruled to ${ROLES.runtime}`);
    await db.admin`insert into unruled values (1, ${orgId}) on conflict do nothing`;
    const rows = await asPrincipal(db.api, admin, (tx) => tx`select * from unruled`);
    expect(rows).toEqual([]);
  });

  it('keeps the committed policies in step with sync-rules', async () => {
    expect(await readFile(POLICIES_FILE, 'utf8')).toBe(generatedPolicies());
  });
});

describe('audit_log', () => {
  it('lets the runtime role append its own rows, read them only with audit.read, and never change or delete them', async () => {
    await asPrincipal(db.api, admin, async (tx) => {
      await tx`insert into audit_log (request_id, actor_principal_id, organization_id, action, entity_type, entity_id)
        values ('req-1', ${admin.principalId}, ${orgId}, 'location.created', 'location', 'x')`;
    });
    // Reading is the audit-log viewer's (db/audit-log.pg.test.ts): staff, without audit.read, see nothing.
    expect(await asPrincipal(db.api, { ...admin, membershipRole: 'staff' }, (tx) => tx`select * from audit_log`)).toEqual([]);
    await expect(asPrincipal(db.api, admin, (tx) =>
      tx`insert into audit_log (request_id, actor_principal_id, action, entity_type, entity_id)
        values ('req-2', ${randomUUID()}, 'location.created', 'location', 'x')`)).rejects.toThrow(/row-level security/);
    await expect(asPrincipal(db.api, admin, (tx) => tx`update audit_log set action = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(asPrincipal(db.api, admin, (tx) => tx`delete from audit_log`)).rejects.toThrow(/permission denied/);
  });

  it('refuses updates, deletes and truncation even by the owner', async () => {
    await db.admin`insert into audit_log (request_id, actor_principal_id, action, entity_type, entity_id)
      values ('req-3', ${admin.principalId}, 'location.created', 'location', 'x')`;
    await expect(db.admin`update audit_log set action = 'forged'`).rejects.toThrow(/append-only/);
    await expect(db.admin`delete from audit_log`).rejects.toThrow(/append-only/);
    await expect(db.admin`truncate audit_log`).rejects.toThrow(/append-only/);
  });
});

describe('locations lifecycle (1B.14)', () => {
  it('stamps closed_at in the database on the move into closed, and keeps closed terminal', async () => {
    const id = await createLocation(db.admin, orgId, { slug: 'main', name: 'Main' });
    await asPrincipal(db.api, admin, async (tx) => {
      await tx`update locations set status = 'inactive' where id = ${id}`;
      await tx`update locations set status = 'active' where id = ${id}`;
      const before = Date.now();
      await tx`update locations set status = 'closed', closed_at = '2000-01-01' where id = ${id}`;
      const [row] = await tx<{ closed_at: Date }[]>`select closed_at from locations where id = ${id}`;
      expect(row?.closed_at.getTime()).toBeGreaterThanOrEqual(before - 5_000);
      await expect(tx`update locations set status = 'active' where id = ${id}`).rejects.toThrow(/closed/);
    });
  });

  it('keeps status and closed_at consistent with a CHECK', async () => {
    const [check] = await db.admin`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'locations_closed_at_matches_status'`;
    expect(String(check?.def)).toContain("'closed'");
  });

  it('makes the slug unique per organisation, not globally, and mutable', async () => {
    const other = await createOrganization(db.admin, { slug: 'other', name: 'Other' });
    await createLocation(db.admin, orgId, { slug: 'dup', name: 'One' });
    await createLocation(db.admin, other, { slug: 'dup', name: 'Elsewhere' });
    await expect(createLocation(db.admin, orgId, { slug: 'dup', name: 'Two' })).rejects.toThrow(/locations_slug_key/);
    const id = await createLocation(db.admin, orgId, { slug: 'old-slug', name: 'Renamed', country: 'Republica Moldova' });
    await db.admin`update locations set slug = 'new-slug' where id = ${id}`;
  });
});

describe('publication', () => {
  it('replicates exactly the synced tables, never audit, receipts or principals', async () => {
    const rows = await db.admin<{ tablename: string }[]>`
      select tablename from pg_publication_tables where pubname = ${SYNC_PUBLICATION} order by tablename`;
    // Exactly the tables with an access rule: a published table without one would reach zero-cache unfiltered.
    expect(rows.map((row) => row.tablename)).toEqual([...SYNCED_TABLES].sort());
    for (const never of ['audit_log', 'write_receipts', 'principals']) expect(rows.map((row) => row.tablename)).not.toContain(never);
  });

  it('publishes only the humans columns a clinic needs (no platform role)', async () => {
    const [row] = await db.admin<{ attnames: string[] }[]>`
      select attnames from pg_publication_tables where pubname = ${SYNC_PUBLICATION} and tablename = 'humans'`;
    expect([...(row?.attnames ?? [])].sort()).toEqual(['email', 'locale', 'name', 'principal_id']);
  });
});

describe('migrate', () => {
  it('is idempotent and refuses a changed, already applied migration', async () => {
    expect(await migrate(db.urls.owner)).toEqual([]);
    await db.admin`update schema_migrations set checksum = 'tampered' where name = '0001_tenancy_core.sql'`;
    await expect(migrate(db.urls.owner)).rejects.toThrow(/was changed after it was applied/);
  });

  it('runs as the owner role, which cannot read tenant rows either', async () => {
    const owner = postgres(db.urls.owner, { max: 1 });
    try {
      expect(await owner`select * from locations`).toEqual([]);
    } finally {
      await owner.end();
    }
  });
});

describe('memberships', () => {
  it('cannot be changed by the member themself, even under their own RLS context', async () => {
    // Managers may update memberships (0008), never their own: the row is simply out of reach.
    const changed = await asPrincipal(db.api, admin, (tx) =>
      tx`update memberships set role = 'owner', updated_by = ${admin.principalId} where principal_id = ${admin.principalId} returning id`);
    expect(changed).toHaveLength(0);
    await expect(asPrincipal(db.api, admin, (tx) =>
      tx`update memberships set organization_id = ${admin.organizationId} where principal_id = ${admin.principalId}`)).rejects.toThrow(/permission denied/);
    const elsewhere = await createOrganization(db.admin, { slug: 'elsewhere', name: 'Elsewhere' });
    await expect(asPrincipal(db.api, admin, (tx) =>
      tx`insert into memberships (organization_id, principal_id, role) values (${elsewhere}, ${admin.principalId}, 'owner')`)).rejects.toThrow(/row-level security/);
  });
});
