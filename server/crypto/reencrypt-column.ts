import type { Sql } from 'postgres';
import type { Encryption } from './encryption.ts';
import { DecryptionError } from './field-cipher.ts';

/**
 * Moves every value of one encrypted column to its organisation's current data key version, after a
 * rotation; once no value names an old version, that version is no longer needed. Meant to run as
 * a job (scheduled by the jobs runner): it walks the table in id order, in small batches, and is safe
 * to stop and run again. A row changed while its value was being re-encrypted keeps the newer write
 * (compare-and-set on the old ciphertext), and is picked up by the next run if it still needs it. A
 * value that does not decrypt is reported, not touched; a key provider error ends the run.
 *
 * `sql` must be able to read and update the column (RLS applies to it as to anyone); each value is
 * decrypted with the context { table, column, rowId: the id column's text }, as it was encrypted.
 */
export type ColumnTarget = {
  table: string;
  column: string;
  /** Default `id`. */
  idColumn?: string;
  /** Default `organization_id`. */
  organizationColumn?: string;
};

export type ReencryptionReport = {
  scanned: number;
  reencrypted: number;
  changedMeanwhile: number;
  /** Ids of rows whose value does not decrypt (altered, or moved from elsewhere): left as they are, for a person to look at. */
  undecryptable: string[];
};

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
}

export async function reencryptColumn(sql: Sql, encryption: Encryption, target: ColumnTarget, options: { batchSize?: number } = {}): Promise<ReencryptionReport> {
  const table = identifier(target.table);
  const column = identifier(target.column);
  const idColumn = identifier(target.idColumn ?? 'id');
  const organizationColumn = identifier(target.organizationColumn ?? 'organization_id');
  const batchSize = options.batchSize ?? 200;
  const report: ReencryptionReport = { scanned: 0, reencrypted: 0, changedMeanwhile: 0, undecryptable: [] };
  let after: string | null = null;

  for (;;) {
    const rows: { id: string; organization_id: string; value: string }[] = await sql`
      select ${sql(idColumn)}::text as id, ${sql(organizationColumn)}::text as organization_id, ${sql(column)}::text as value
      from ${sql(table)}
      where ${sql(column)} is not null ${after === null ? sql`` : sql`and ${sql(idColumn)} > ${after}`}
      order by ${sql(idColumn)}
      limit ${batchSize}`;
    for (const row of rows) {
      report.scanned += 1;
      let moved: string | null;
      try {
        moved = await encryption.reencryptField(row.organization_id, { table, column, rowId: row.id }, row.value);
      } catch (error) {
        // One bad value must not block a rotation; a key provider that is down must stop the run.
        if (!(error instanceof DecryptionError)) throw error;
        report.undecryptable.push(row.id);
        continue;
      }
      if (moved === null) continue;
      const updated = await sql`
        update ${sql(table)} set ${sql(column)} = ${moved}
        where ${sql(idColumn)} = ${row.id} and ${sql(column)}::text = ${row.value}`;
      if (updated.count === 1) report.reencrypted += 1;
      else report.changedMeanwhile += 1;
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < batchSize) return report;
    after = last.id;
  }
}
