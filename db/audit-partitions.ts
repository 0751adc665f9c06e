import postgres from 'postgres';

/**
 * Creates the audit log's partitions for this month and the next two if missing
 * (audit_ensure_partitions(), db/migrations/0012_audit_chain.sql); returns the ones it created. Run
 * at every start, so a stack that was stopped for a while finds its months ready; the daily job
 * does the same while it runs. Without a partition for the current month, every audited write fails.
 */
export async function ensureAuditPartitions(ownerUrl: string): Promise<string[]> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => undefined });
  try {
    const rows = await sql<{ name: string }[]>`select audit_ensure_partitions() as name`;
    return rows.map((row) => row.name);
  } finally {
    await sql.end();
  }
}
