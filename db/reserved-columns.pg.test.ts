import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../infra/test/database.ts';
import { RESERVED_COLUMN_EXCEPTIONS, type ReservedRule } from './reserved-columns.ts';
import { ROLES } from './roles.ts';

let db: TestDatabase;
beforeAll(async () => { db = await freshDatabase(inject('pgSuperuserUrl')); });
afterAll(async () => { await db.close(); });

type Column = { table: string; column: string; type: string; notNull: boolean; hasDefault: boolean; inPrimaryKey: boolean };
type ForeignKey = { table: string; columns: string[]; target: string; targetColumns: string[] };

async function catalogue() {
  // Tables and partitioned tables of the public schema; partitions are checked through their parent.
  const columns = await db.admin<Column[]>`
    select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type,
      a.attnotnull as "notNull", a.atthasdef as "hasDefault",
      exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p' and a.attnum = any (k.conkey)) as "inPrimaryKey"
    from pg_class c join pg_attribute a on a.attrelid = c.oid
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
      and a.attnum > 0 and not a.attisdropped`;
  const foreignKeys = await db.admin<ForeignKey[]>`
    select c.relname as table, t.relname as target,
      array(select attname from pg_attribute where attrelid = k.conrelid and attnum = any (k.conkey) order by attname) as columns,
      array(select attname from pg_attribute where attrelid = k.confrelid and attnum = any (k.confkey) order by attname) as "targetColumns"
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class t on t.oid = k.confrelid
    where k.contype = 'f' and c.relnamespace = 'public'::regnamespace`;
  const updatable = await db.admin<{ table: string }[]>`
    select distinct c.relname as table from pg_class c join pg_attribute a on a.attrelid = c.oid
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition and a.attnum > 0 and not a.attisdropped
      and has_column_privilege(${ROLES.runtime}, c.oid, a.attnum, 'UPDATE')`;
  return { columns, foreignKeys, updatable: new Set(updatable.map((row) => row.table)) };
}

/** Every departure from the convention (db/reserved-columns.ts), as `table: rule`. */
function departures({ columns, foreignKeys, updatable }: Awaited<ReturnType<typeof catalogue>>): Map<string, string> {
  const found = new Map<string, string>();
  const byTable = new Map<string, Column[]>();
  for (const column of columns) byTable.set(column.table, [...(byTable.get(column.table) ?? []), column]);
  const timestamp = (column: Column | undefined) => column?.type === 'timestamp with time zone' && column.notNull && column.hasDefault;
  for (const [table, cols] of byTable) {
    const col = (name: string) => cols.find((column) => column.column === name);
    const org = col('organization_id');
    if (org === undefined) continue;
    const fail = (rule: ReservedRule, what: string) => { found.set(`${table}: ${rule}`, what); };
    if (col('id')?.inPrimaryKey !== true) fail('id', 'no id column in the primary key');
    if (org.type !== 'uuid' || !org.notNull) fail('organization_id', `organization_id is ${org.type}${org.notNull ? '' : ', nullable'}`);
    if (!foreignKeys.some((key) => key.table === table && key.columns.includes('organization_id'))) fail('organization_id_fk', 'organization_id is in no foreign key');
    if (!timestamp(col('created_at'))) fail('created_at', 'no created_at timestamptz not null with a default');
    if (updatable.has(table)) {
      if (!timestamp(col('updated_at'))) fail('updated_at', 'the runtime role may update it, and it has no updated_at timestamptz not null with a default');
      if (col('updated_by') === undefined) fail('updated_by', 'the runtime role may update it, and it has no updated_by');
    }
    for (const actor of ['created_by', 'updated_by']) {
      const column = col(actor);
      if (column === undefined) continue;
      const referencesPerson = foreignKeys.some((key) => key.table === table && key.columns.length === 1 && key.columns[0] === actor
        && ((key.target === 'principals' && key.targetColumns[0] === 'id') || (key.target === 'humans' && key.targetColumns[0] === 'principal_id')));
      if (column.type !== 'uuid' || !referencesPerson) fail('actor_columns', `${actor} is not a uuid referencing principals or humans`);
    }
  }
  return found;
}

it('holds on every tenant table, but for the listed exceptions, each with its reason', async () => {
  const found = departures(await catalogue());
  const allowed = new Set(Object.entries(RESERVED_COLUMN_EXCEPTIONS).flatMap(([table, rules]) => Object.keys(rules).map((rule) => `${table}: ${rule}`)));
  const unexplained = [...found].filter(([key]) => !allowed.has(key)).map(([key, what]) => `${key} (${what})`);
  expect(unexplained, 'departures from db/reserved-columns.ts without a listed reason').toEqual([]);
  expect([...allowed].filter((key) => !found.has(key)), 'listed exceptions that no longer depart: remove them').toEqual([]);
  for (const rules of Object.values(RESERVED_COLUMN_EXCEPTIONS)) for (const reason of Object.values(rules)) expect(reason.trim().length).toBeGreaterThan(10);
});

it('finds a table that breaks the convention', async () => {
  await db.admin`create table reserved_probe (
    key text primary key, organization_id uuid, created_by text, updated_at timestamptz)`;
  await db.admin.unsafe(`grant update (key) on reserved_probe to ${ROLES.runtime}`);
  try {
    const found = departures(await catalogue());
    expect([...found.keys()].filter((key) => key.startsWith('reserved_probe:')).sort()).toEqual([
      'reserved_probe: actor_columns',
      'reserved_probe: created_at',
      'reserved_probe: id',
      'reserved_probe: organization_id',
      'reserved_probe: organization_id_fk',
      'reserved_probe: updated_at',
      'reserved_probe: updated_by',
    ]);
  } finally {
    await db.admin`drop table reserved_probe`;
  }
});
