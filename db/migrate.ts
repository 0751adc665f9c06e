import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { migrateJobQueue } from './job-queue.ts';

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');
export const POLICIES_FILE = join(import.meta.dirname, 'policies.generated.sql');

type Applied = { name: string; checksum: string };

const checksum = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Applies the forward-only migrations in name order, each in its own transaction, then the generated
 * RLS policies. Refuses to run when an applied migration's file has changed since: history is
 * never rewritten, a fix is a new migration.
 */
export async function migrate(ownerUrl: string, log: (line: string) => void = () => undefined): Promise<string[]> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql`create table if not exists schema_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`;
    const applied = new Map((await sql<Applied[]>`select name, checksum from schema_migrations`).map((row) => [row.name, row.checksum]));
    // The job queue's own schema first: 0014 grants on it and builds a view over it (db/job-queue.ts).
    await migrateJobQueue(ownerUrl);
    const files = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
    const ran: string[] = [];
    for (const name of files) {
      const text = await readFile(join(MIGRATIONS_DIR, name), 'utf8');
      const sum = checksum(text);
      const previous = applied.get(name);
      if (previous !== undefined) {
        if (previous !== sum) throw new Error(`migration ${name} was changed after it was applied; add a new migration instead`);
        continue;
      }
      await sql.begin(async (tx) => {
        await tx.unsafe(text);
        await tx`insert into schema_migrations (name, checksum) values (${name}, ${sum})`;
      });
      log(`applied migration ${name}`);
      ran.push(name);
    }
    const policies = await readFile(POLICIES_FILE, 'utf8');
    await sql.begin((tx) => tx.unsafe(policies));
    return ran;
  } finally {
    await sql.end();
  }
}
