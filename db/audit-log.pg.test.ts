import { randomUUID } from 'node:crypto';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMembership, createHuman, createOrganization } from '../seeds/factories.ts';
import { asPrincipal, freshDatabase, type TestDatabase } from '../infra/test/database.ts';
import { waitForLockWaiters } from '../infra/test/lock-waiters.ts';
import { actAs } from '../server/db-scope.ts';
import { AUDIT_FIELD_SQL, CANONICAL_FIELDS, entryHash } from '../server/audit/canonical.ts';
import { verifyAuditLog } from '../server/audit/verify-audit-log.ts';
import type { StoredEntry } from '../server/audit/verify-chains.ts';
import type { AuthContext } from '../sync-rules/context.ts';
import { ROLES } from './roles.ts';

/**
 * The audit log of migration 0012 against real Postgres: monthly partitions made ahead and detached
 * from the old end, one hash chain per organisation computed by the database for every writer (the
 * SQL functions of 0010 too), serialised so that concurrent writers cannot fork it, append-only for
 * everyone, and readable only by a clinic's audit.read holders.
 */

let db: TestDatabase;
let owner: Sql;
type Clinic = { id: string; admin: AuthContext; staff: AuthContext };
const clinics: Record<'alpha' | 'beta', Clinic> = {} as never;
let root: AuthContext;

async function clinic(slug: string): Promise<Clinic> {
  const id = await createOrganization(db.admin, { slug, name: slug });
  const admin = await createHuman(db.admin, { email: `admin@${slug}.test`, name: `Admin ${slug}` });
  const staff = await createHuman(db.admin, { email: `staff@${slug}.test`, name: `Staff ${slug}` });
  await addMembership(db.admin, id, admin, 'admin');
  await addMembership(db.admin, id, staff, 'staff');
  return {
    id,
    admin: { principalId: admin, organizationId: id, membershipRole: 'admin', platformRole: null },
    staff: { principalId: staff, organizationId: id, membershipRole: 'staff', platformRole: null },
  };
}

/** One committed entry, written as the runtime role on behalf of `auth` (as appendAudit does). */
async function append(auth: AuthContext, entityId: string = randomUUID(), organizationId = auth.organizationId): Promise<void> {
  await db.api.begin(async (tx) => {
    await actAs(tx, auth);
    await tx`insert into audit_log (request_id, actor_principal_id, organization_id, action, entity_type, entity_id)
      values ('req-test', ${auth.principalId}, ${organizationId}, 'location.updated', 'location', ${entityId})`;
  });
}

type ChainRow = { id: string; chain_seq: string; prev_id: string | null; occurred_at: Date };
const chainOf = (organizationId: string) => db.admin<ChainRow[]>`
  select id::text, chain_seq::text, prev_id::text, occurred_at from audit_log where organization_id = ${organizationId} order by chain_seq`;

const monthStart = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
};
/** `YYYY-MM-01` of the UTC month `offset` months from now. */
const monthDate = (offset: number) => monthStart(offset).toISOString().slice(0, 10);
const monthName = (offset: number) => `audit_log_${monthDate(offset).slice(0, 7).replace('-', '_')}`;

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  owner = postgres(db.urls.owner, { max: 2, onnotice: () => undefined });
  clinics.alpha = await clinic('alpha');
  clinics.beta = await clinic('beta');
  const rootId = await createHuman(db.admin, { email: 'root@platform.test', name: 'Root', platformRole: 'superadmin' });
  root = { principalId: rootId, organizationId: null, membershipRole: null, platformRole: 'superadmin' };
});
afterAll(async () => {
  await owner.end();
  await db.close();
});

describe('monthly partitions', () => {
  it('exist for this month and the next two, in their own schema, each forced under RLS', async () => {
    const parts = await db.admin<{ name: string; schema: string; forced: boolean }[]>`
      select c.relname as name, c.relnamespace::regnamespace::text as schema, c.relforcerowsecurity as forced
      from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'public.audit_log'::regclass order by c.relname`;
    expect(parts.map((p) => p.name)).toEqual(expect.arrayContaining([monthName(0), monthName(1), monthName(2)]));
    for (const part of parts) expect(part).toMatchObject({ schema: 'audit_log_partitions', forced: true });
    // Bounds are UTC months.
    const bound = await db.admin.begin(async (tx) => {
      await tx`set local timezone = 'UTC'`;
      const [row] = await tx<{ bound: string }[]>`
        select pg_get_expr(c.relpartbound, c.oid) as bound from pg_class c where c.oid = ${`audit_log_partitions.${monthName(1)}`}::regclass`;
      return row?.bound;
    });
    expect(bound).toBe(`FOR VALUES FROM ('${monthDate(1)} 00:00:00+00') TO ('${monthDate(2)} 00:00:00+00')`);
  });

  it('are created ahead by audit_ensure_partitions(), which the runtime role may call, and only once', async () => {
    // Another month ahead appears when the clock moves on; here the three are there, so nothing is made.
    expect(await owner`select audit_ensure_partitions() as name`).toEqual([]);
    expect(await asPrincipal(db.api, clinics.alpha.admin, (tx) => tx`select audit_ensure_partitions() as name`)).toEqual([]);
    // Missing ones are made again: drop the farthest (empty) and ask.
    await db.admin.unsafe(`drop table audit_log_partitions.${monthName(2)}`);
    expect(await owner<{ name: string }[]>`select audit_ensure_partitions() as name`).toEqual([{ name: monthName(2) }]);
  });

  it('cannot be read, changed or emptied directly, around the parent', async () => {
    await append(clinics.alpha.admin);
    const partition = `audit_log_partitions.${monthName(0)}`;
    await expect(asPrincipal(db.api, clinics.alpha.admin, (tx) => tx.unsafe(`select * from ${partition}`))).rejects.toThrow(/permission denied/);
    await expect(db.admin.unsafe(`update ${partition} set action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(db.admin.unsafe(`delete from ${partition}`)).rejects.toThrow(/append-only/);
    await expect(db.admin.unsafe(`truncate ${partition}`)).rejects.toThrow(/append-only/);
    expect(await owner.unsafe(`select count(*)::int as n from ${partition}`)).toEqual([{ n: 0 }]);
  });
});

describe('the hash chain', () => {
  it('numbers each organisation\'s entries and links each to the one before, whoever writes them', async () => {
    const org = await clinic('chained');
    for (let i = 0; i < 3; i++) await append(org.admin);
    await append(clinics.beta.admin);
    const chain = await chainOf(org.id);
    expect(chain.map((row) => row.chain_seq)).toEqual(['1', '2', '3']);
    expect(chain.map((row) => row.prev_id)).toEqual([null, chain[0]?.id, chain[1]?.id]);
  });

  it('stores the SHA-256 of the canonical content, exactly as server/audit/canonical.ts computes it', async () => {
    await append(clinics.alpha.admin, 'ünïcödé – „ghilimele” \\ "quotes"\nline');
    const rows = await db.admin.unsafe<StoredEntry[]>(`select ${CANONICAL_FIELDS.map((f) => `${AUDIT_FIELD_SQL[f]} as ${f}`).join(', ')},
      encode(entry_hash, 'hex') as entry_hash from audit_log`);
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(entryHash(row), `entry ${String(row.id)}`).toBe(row.entry_hash);
  });

  it('is computed by the database: a writer can neither name its place in the chain nor its hash, nor backdate it', async () => {
    for (const column of ['chain_seq', 'entry_hash', 'occurred_at']) {
      const value = column === 'chain_seq' ? '1' : column === 'entry_hash' ? '\\x00' : '2000-01-01';
      await expect(asPrincipal(db.api, clinics.alpha.admin, (tx) => tx.unsafe(
        `insert into audit_log (request_id, actor_principal_id, organization_id, action, entity_type, entity_id, ${column})
         values ('r', $1, $2, 'location.updated', 'location', 'x', $3)`, [clinics.alpha.admin.principalId, clinics.alpha.id, value])), column)
        .rejects.toThrow(/permission denied/);
    }
  });

  it('chains platform-level entries apart, including those the platform-role functions of 0010 write', async () => {
    const target = await createHuman(db.admin, { email: 'candidate@platform.test', name: 'Candidate' });
    await asPrincipal(db.api, root, async (tx) => { await tx`select app_set_platform_role(${target}, 'support_engineer', 'req-grant')`; });
    // asPrincipal rolls back; commit one for real.
    await db.api.begin(async (tx) => {
      await actAs(tx, root);
      await tx`select app_set_platform_role(${target}, 'support_engineer', 'req-grant')`;
    });
    await append(root, randomUUID(), null);
    const platform = await db.admin<{ action: string; chain_seq: string }[]>`
      select action, chain_seq::text from audit_log where organization_id is null order by chain_seq`;
    expect(platform).toEqual([{ action: 'platform_role.granted', chain_seq: '1' }, { action: 'location.updated', chain_seq: '2' }]);
    expect((await verifyAuditLog(db.admin)).findings).toEqual([]);
  });

  it('serialises concurrent writers of one chain: the second waits for the first to commit, and neither forks it', async () => {
    const org = await clinic('concurrent');
    const writers = postgres(db.urls.api, { max: 6, onnotice: () => undefined });
    const insert = (tx: TransactionSql, requestId: string) => tx`
      insert into audit_log (request_id, actor_principal_id, organization_id, action, entity_type, entity_id)
      values (${requestId}, ${org.admin.principalId}, ${org.id}, 'location.updated', 'location', 'x')`;
    try {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => { release = resolve; });
      let inserted: () => void = () => undefined;
      const firstInserted = new Promise<void>((resolve) => { inserted = resolve; });
      const first = writers.begin(async (tx) => {
        await actAs(tx, org.admin);
        await insert(tx, 'first');
        inserted();
        await held;
      });
      await firstInserted;
      const others = Array.from({ length: 4 }, (_, i) => writers.begin(async (tx) => {
        await actAs(tx, org.admin);
        await insert(tx, `other-${String(i)}`);
      }));
      await waitForLockWaiters(db.admin, 4);
      // Another clinic's chain is not held up meanwhile.
      await append(clinics.beta.admin);
      release();
      await Promise.all([first, ...others]);
    } finally {
      await writers.end();
    }
    const chain = await chainOf(org.id);
    expect(chain.map((row) => row.chain_seq)).toEqual(['1', '2', '3', '4', '5']);
    expect(chain.slice(1).map((row) => row.prev_id)).toEqual(chain.slice(0, -1).map((row) => row.id));
    expect((await verifyAuditLog(db.admin)).findings).toEqual([]);
  });

  it('keeps time moving forward along a chain, and refuses an entry that would cross back into an earlier month', async () => {
    const org = await clinic('clock');
    const nextMonth = new Date(monthStart(1).getTime() + 3_600_000);
    // Written as the superuser, who may set occurred_at: an entry dated next month heads the chain.
    await db.admin`insert into audit_log (request_id, actor_principal_id, organization_id, action, entity_type, entity_id, occurred_at)
      values ('ahead', ${org.admin.principalId}, ${org.id}, 'location.updated', 'location', 'x', ${nextMonth})`;
    await expect(append(org.admin)).rejects.toMatchObject({ code: '40001' });
    // Within one month, an entry that would come before the head is stamped with the head's moment.
    const other = await clinic('clock-two');
    await owner`select audit_create_partition(${monthDate(-1)}::date)`;
    const head = new Date(monthStart(-1).getTime() + 2 * 86_400_000);
    for (const at of [head, new Date(head.getTime() - 3_600_000)]) {
      await db.admin`insert into audit_log (request_id, actor_principal_id, organization_id, action, entity_type, entity_id, occurred_at)
        values ('then', ${other.admin.principalId}, ${other.id}, 'location.updated', 'location', 'x', ${at})`;
    }
    expect((await chainOf(other.id)).map((row) => row.occurred_at.getTime())).toEqual([head.getTime(), head.getTime()]);
  });
});

describe('append-only', () => {
  it('refuses updates, deletes and truncation of the table to the owner and the superuser alike', async () => {
    await append(clinics.alpha.admin);
    for (const sql of [owner, db.admin]) {
      await expect(sql`update audit_log set action = 'forged'`).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log`).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_log`).rejects.toThrow(/append-only/);
    }
    await expect(asPrincipal(db.api, clinics.alpha.admin, (tx) => tx`update audit_log set action = 'forged'`)).rejects.toThrow(/permission denied/);
    await expect(asPrincipal(db.api, clinics.alpha.admin, (tx) => tx`delete from audit_log`)).rejects.toThrow(/permission denied/);
  });

  it('lets nobody edit the chains\' heads but the owner\'s code', async () => {
    await expect(asPrincipal(db.api, clinics.alpha.admin, (tx) => tx`select * from audit_chains`)).rejects.toThrow(/permission denied/);
    await expect(asPrincipal(db.api, clinics.alpha.admin, (tx) => tx`update audit_chains set last_seq = 0`)).rejects.toThrow(/permission denied/);
  });

  it('keeps the audit log out of the sync publication', async () => {
    const published = await db.admin<{ tablename: string }[]>`select tablename from pg_publication_tables where pubname = 'restartix_sync'`;
    expect(published.map((row) => row.tablename)).not.toContain('audit_log');
    expect(published.map((row) => row.tablename)).not.toContain('audit_chains');
  });
});

describe('who reads it', () => {
  it('shows a clinic\'s entries to its audit.read holders only, never another clinic\'s or the platform\'s', async () => {
    await append(clinics.alpha.admin, 'alpha-entity');
    await append(clinics.beta.admin, 'beta-entity');
    const seen = await asPrincipal(db.api, clinics.alpha.admin, (tx) => tx<{ organization_id: string | null }[]>`select organization_id from audit_log`);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((row) => row.organization_id))).toEqual(new Set([clinics.alpha.id]));
    expect(await asPrincipal(db.api, clinics.alpha.staff, (tx) => tx`select 1 from audit_log`)).toEqual([]);
    expect(await asPrincipal(db.api, root, (tx) => tx`select 1 from audit_log`)).toEqual([]);
    const betaSees = await asPrincipal(db.api, clinics.beta.admin, (tx) => tx<{ entity_id: string }[]>`select entity_id from audit_log`);
    expect(betaSees.map((row) => row.entity_id)).toContain('beta-entity');
    expect(betaSees.map((row) => row.entity_id)).not.toContain('alpha-entity');
  });

  it('lets a request append only its own principal\'s rows', async () => {
    await expect(asPrincipal(db.api, clinics.alpha.admin, (tx) => tx`
      insert into audit_log (request_id, actor_principal_id, organization_id, action, entity_type, entity_id)
      values ('r', ${clinics.alpha.staff.principalId}, ${clinics.alpha.id}, 'location.updated', 'location', 'x')`)).rejects.toThrow(/row-level security/);
  });
});

describe('detaching the oldest month', () => {
  it('archives it with every chain checkpointed, so the rest still verifies; the current month stays', async () => {
    const org = await clinic('archived');
    const old = monthName(-2);
    expect(await owner`select audit_create_partition(${monthDate(-2)}::date) as name`).toEqual([{ name: old }]);
    await owner`select audit_create_partition(${monthDate(-1)}::date)`;
    const inOldMonth = new Date(monthStart(-2).getTime() + 86_400_000);
    for (let i = 0; i < 2; i++) {
      await db.admin`insert into audit_log (request_id, actor_principal_id, organization_id, action, entity_type, entity_id, occurred_at)
        values ('old', ${org.admin.principalId}, ${org.id}, 'location.updated', 'location', 'x', ${inOldMonth})`;
    }
    await append(org.admin);
    const before = await chainOf(org.id);
    expect(before.map((row) => row.chain_seq)).toEqual(['1', '2', '3']);

    await expect(owner`select audit_detach_partition(${monthName(0)})`).rejects.toThrow(/not over yet/);
    await expect(owner`select audit_detach_partition(${monthName(-1)})`).rejects.toThrow(new RegExp(`detach ${old} first`));
    await expect(owner`select audit_detach_partition('audit_log; drop table audit_log')`).rejects.toThrow(/no attached audit partition/);
    await owner`select audit_detach_partition(${old})`;

    const after = await chainOf(org.id);
    expect(after.map((row) => row.chain_seq)).toEqual(['3']);
    const [chain] = await db.admin<{ archived_through_seq: string; archived_through_id: string }[]>`
      select archived_through_seq::text, archived_through_id::text from audit_chains where chain_key = ${org.id}`;
    expect(chain).toEqual({ archived_through_seq: '2', archived_through_id: before[1]?.id });
    expect((await verifyAuditLog(db.admin)).findings).toEqual([]);

    // The archived table keeps its rows and stays append-only until it is dumped and dropped.
    const archived = `audit_log_partitions.${old}`;
    expect(await db.admin.unsafe(`select count(*)::int as n from ${archived}`)).toEqual([{ n: 2 }]);
    await expect(db.admin.unsafe(`update ${archived} set action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(db.admin.unsafe(`delete from ${archived}`)).rejects.toThrow(/append-only/);
    await expect(db.admin.unsafe(`truncate ${archived}`)).rejects.toThrow(/append-only/);
  });

  it('is the owner\'s alone', async () => {
    const [grants] = await db.admin<{ app: boolean; api: boolean }[]>`select
      has_function_privilege(${ROLES.runtime}, 'audit_detach_partition(text)', 'execute') as app,
      has_function_privilege(${ROLES.api}, 'audit_detach_partition(text)', 'execute') as api`;
    expect(grants).toEqual({ app: false, api: false });
  });
});
