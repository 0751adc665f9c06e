import postgres from 'postgres';
import { withDatabase } from '../db/bootstrap.ts';
import { loadConfig, type Config } from '../server/config.ts';
import { verifyAuditLog } from '../server/audit/verify-audit-log.ts';
import type { Finding } from '../server/audit/verify-chains.ts';

/**
 * `npm run audit:verify`: walks every chain of the audit log and names every altered, inserted or
 * removed entry; exits 1 when anything is wrong. It reads the whole log, so it logs in as the
 * cluster's superuser (DATABASE_ADMIN_URL, or the embedded cluster's) or else as the owner role
 * (DATABASE_URL). The platform's database must be running (`npm start` in another terminal).
 */
export function verifyUrl(config: Config): string {
  if (config.DATABASE_URL !== undefined) return config.DATABASE_ADMIN_URL ?? config.DATABASE_URL;
  if (config.DATABASE_ADMIN_URL !== undefined) return withDatabase(config.DATABASE_ADMIN_URL, config.DB_NAME);
  const password = encodeURIComponent(config.EMBEDDED_PG_PASSWORD);
  return `postgres://postgres:${password}@127.0.0.1:${String(config.EMBEDDED_PG_PORT)}/${config.DB_NAME}`;
}

export function describeFinding(finding: Finding): string {
  const id = finding.id === null ? 'id unknown' : `id ${finding.id}`;
  return `${finding.kind.padEnd(8)} chain ${finding.chain}  entry ${finding.seq} (${id}): ${finding.reason}`;
}

/** Verifies the log at `url`, writing a report to `out`; the process's exit code. */
export async function runAuditVerify(url: string, out: (line: string) => void): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined, connection: { application_name: 'restartix-audit-verify' } });
  try {
    const result = await verifyAuditLog(sql);
    for (const finding of result.findings) out(describeFinding(finding));
    const summary = `${String(result.entries)} entries in ${String(result.chains)} chains`;
    out(result.findings.length === 0 ? `audit log intact: ${summary}` : `audit log NOT intact: ${String(result.findings.length)} problems in ${summary}`);
    return result.findings.length === 0 ? 0 : 1;
  } finally {
    await sql.end();
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  try {
    process.exitCode = await runAuditVerify(verifyUrl(loadConfig()), (line) => { console.log(line); });
  } catch (error) {
    console.error(`audit:verify could not read the audit log: ${error instanceof Error ? error.message : String(error)}`);
    console.error('Is the platform\'s database running (npm start), and do DATABASE_URL / DATABASE_ADMIN_URL point at it?');
    process.exitCode = 2;
  }
}
