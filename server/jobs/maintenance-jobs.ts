import { ROLES } from '../../db/roles.ts';
import { purgeExpiredDataExports } from '../data-requests/purge-expired-exports.ts';
import { purgeDeletedFiles, type PurgeDeps } from '../files/purge-deleted-files.ts';
import { purgeDeletedPatients } from '../patients/purge-deleted-patients.ts';
import { eraseStaleEventSecrets } from './erase-stale-event-secrets.ts';
import { defineRecurringJob, type RecurringJob } from './recurring.ts';

/**
 * The audit log's months ahead (db/migrations/0012_audit_chain.sql): the stack also makes them at
 * every start, this keeps a long-running one ready. The function is the runtime role's to call.
 */
export const ensureAuditPartitions = defineRecurringJob({
  name: 'maintenance.audit_partitions',
  schedule: '7 2 * * *',
  async run({ sql, log }) {
    const created = await sql.begin(async (tx) => {
      await tx.unsafe(`set local role ${ROLES.runtime}`);
      return tx<{ name: string }[]>`select audit_ensure_partitions() as name`;
    });
    log.info({ created: created.map((row) => row.name) }, 'audit partitions ensured');
  },
});

/** Deleted files past their retention window, and uploads never confirmed, leave storage for good. */
export function purgeFilesJob(deps: Omit<PurgeDeps, 'sql'>): RecurringJob {
  return defineRecurringJob({
    name: 'maintenance.purge_deleted_files',
    schedule: '37 3 * * *',
    async run({ sql, log, scheduledFor }) {
      const { purged } = await purgeDeletedFiles({ ...deps, sql }, { requestId: `maintenance-${scheduledFor.toISOString()}` });
      log.info({ purged: purged.length }, 'deleted files purged');
    },
  });
}

/** Deleted patient records past their retention window go for good (db/migrations/0018_patients.sql). */
export function purgePatientsJob(retentionDays: number): RecurringJob {
  return defineRecurringJob({
    name: 'maintenance.purge_deleted_patients',
    schedule: '47 3 * * *',
    async run({ sql, log, scheduledFor }) {
      const { purged } = await purgeDeletedPatients({ sql, retentionDays }, { requestId: `maintenance-${scheduledFor.toISOString()}` });
      log.info({ purged: purged.length }, 'deleted patient records purged');
    },
  });
}

/**
 * Every recurring maintenance job of the platform, run by the job runner that the stack starts
 * (infra/stack.ts). A new one: define it with `defineRecurringJob` (server/jobs/recurring.ts) beside
 * the feature it maintains, and add it here.
 */
export function maintenanceJobs(deps: { files: Omit<PurgeDeps, 'sql'>; patientRetentionDays: number }): readonly RecurringJob[] {
  return [eraseStaleEventSecrets, ensureAuditPartitions, purgeFilesJob(deps.files), purgePatientsJob(deps.patientRetentionDays), purgeExpiredDataExports];
}
