import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { DATA_CLASSES } from '../../db/data-classes.ts';

export type Leak = { file: string; line: number; column: string; value: string };

// Shorter values ("Ana", "Ion") are words of ordinary log lines too; a real leak carries more.
const MIN_LENGTH = 5;
const IDENTIFYING = /name|email|phone|identifier/i;

/** The registry's personal columns that name or reach a person: names, emails, phone numbers. */
export function identifyingColumns(): { table: string; column: string }[] {
  return Object.entries(DATA_CLASSES).flatMap(([table, columns]) =>
    Object.entries(columns).filter(([column, dataClass]) => dataClass === 'personal' && IDENTIFYING.test(column)).map(([column]) => ({ table, column })));
}

/** Every distinct value of those columns in the database, with where it came from. */
export async function identifyingValues(admin: Sql): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const { table, column } of identifyingColumns()) {
    const [schema, name] = table.includes('.') ? table.split('.') : ['public', table];
    const rows = await admin<{ value: string | null }[]>`select distinct ${admin(column)}::text as value from ${admin(`${schema ?? 'public'}.${name ?? table}`)}`;
    for (const { value } of rows) if (value !== null && value.trim().length >= MIN_LENGTH) values.set(value.trim(), `${table}.${column}`);
  }
  return values;
}

/** Each line of each file that carries one of `values`, as written or URL-encoded, case-insensitively. */
export function findLeaks(files: { name: string; text: string }[], values: Map<string, string>): Leak[] {
  const needles = [...values].flatMap(([value, column]) => {
    const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)].map((form) => form.toLowerCase()));
    return [...forms].map((form) => ({ form, value, column }));
  });
  const leaks: Leak[] = [];
  for (const file of files) {
    file.text.split('\n').forEach((line, index) => {
      const lower = line.toLowerCase();
      for (const needle of needles) if (lower.includes(needle.form)) leaks.push({ file: file.name, line: index + 1, column: needle.column, value: needle.value });
    });
  }
  return leaks;
}

export function readLogFiles(dir: string): { name: string; text: string }[] {
  return readdirSync(dir).filter((name) => name.endsWith('.log')).map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}
