import type { TransactionSql } from 'postgres';
import { DATA_CLASSES } from '../../db/data-classes.ts';
import { EXPORT_SOURCES, type ExportSource, type ExportSubject } from './export-sources.ts';

export const EXPORT_FORMAT = 'restartix.data-export.v1';

export type ExportRow = Record<string, unknown>;

/** What a clinic held about one person when it fulfilled their export request. */
export type ExportDocument = {
  format: typeof EXPORT_FORMAT;
  requestId: string;
  generatedAt: string;
  organization: { id: string; name: string };
  /** Per table of EXPORT_SOURCES: the subject's rows, every column but secrets, as the database holds them. */
  tables: Record<string, ExportRow[]>;
};

/** A row without its secret columns, and without any column the registry does not know (fail closed). */
function exportable(table: string, row: ExportRow): ExportRow {
  const classes = DATA_CLASSES[table] ?? {};
  return Object.fromEntries(Object.entries(row).filter(([column]) => {
    const dataClass = classes[column];
    return dataClass !== undefined && dataClass !== 'secret';
  }));
}

/**
 * Gathers the subject's rows from every table of EXPORT_SOURCES, in the caller's transaction and
 * under its RLS: the clinic member who fulfils the request reads what their clinic holds, nothing of
 * another clinic's. Rows are read as `to_jsonb`, so every column is there without a list to keep.
 * No column of these tables is encrypted today (export-coverage.pg.test.ts fails when one becomes
 * so: decrypt it here then).
 */
export async function collectExport(
  tx: TransactionSql,
  subject: ExportSubject,
  meta: { requestId: string; organizationName: string },
  sources: Readonly<Record<string, ExportSource>> = EXPORT_SOURCES,
): Promise<ExportDocument> {
  const tables: Record<string, ExportRow[]> = {};
  for (const [table, where] of Object.entries(sources)) {
    const rows = await tx<{ row: ExportRow }[]>`select to_jsonb(t) as row from ${tx(table)} t where ${where(tx, subject)}`;
    tables[table] = rows.map(({ row }) => exportable(table, row)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return {
    format: EXPORT_FORMAT,
    requestId: meta.requestId,
    generatedAt: new Date().toISOString(),
    organization: { id: subject.organizationId, name: meta.organizationName },
    tables,
  };
}
