import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../infra/test/database.ts';
import { DATA_CLASSES } from './data-classes.ts';

let db: TestDatabase;
beforeAll(async () => { db = await freshDatabase(inject('pgSuperuserUrl')); });
afterAll(async () => { await db.close(); });

it('classifies every column of every table, and nothing that does not exist', async () => {
  const columns = await db.admin<{ table_schema: string; table_name: string; column_name: string }[]>`
    select table_schema, table_name, column_name from information_schema.columns
    where table_schema in ('public', 'auth') order by table_schema, table_name, column_name`;
  const inDatabase = columns.map((c) => `${c.table_schema === 'public' ? '' : `${c.table_schema}.`}${c.table_name}.${c.column_name}`);
  const classified = Object.entries(DATA_CLASSES).flatMap(([table, cols]) => Object.keys(cols).map((col) => `${table}.${col}`));
  expect(inDatabase.filter((column) => !classified.includes(column)), 'columns without a data class').toEqual([]);
  expect(classified.filter((column) => !inDatabase.includes(column)), 'classes of columns that do not exist').toEqual([]);
});

it('never publishes a secret column to the sync engine', async () => {
  const published = await db.admin<{ tablename: string; attnames: string[] }[]>`
    select tablename, attnames from pg_publication_tables where pubname = 'restartix_sync'`;
  for (const { tablename, attnames } of published) {
    for (const column of attnames) expect(DATA_CLASSES[tablename]?.[column], `${tablename}.${column}`).not.toBe('secret');
  }
});
