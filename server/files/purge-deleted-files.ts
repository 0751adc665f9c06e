import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { ROLES } from '../../db/roles.ts';
import { appendAudit } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { ObjectStorage } from '../storage/object-storage.ts';

export type PurgeDeps = {
  /** The server's pool (api login). */
  sql: Sql;
  storage: Pick<ObjectStorage, 'delete'>;
  /** FILES_RETENTION_DAYS: deleted files younger than this are kept (and restorable). */
  retentionDays: number;
};

export type PurgeOptions = {
  /** Recorded on each purge's audit row; a job passes its own id. */
  requestId?: string;
  /** At most this many files in one call (default 100); call again while `purged` is full. */
  limit?: number;
};

export type PurgedFile = { id: string; organizationId: string; reason: 'retention_elapsed' | 'abandoned_upload' };

/** An upload nobody confirmed within a day is abandoned: its row and any object it left go. */
export const ABANDONED_UPLOAD_HOURS = 24;

type DueFile = {
  file_id: string;
  file_organization_id: string;
  file_storage_key: string;
  purge_reason: PurgedFile['reason'];
  actor_principal_id: string;
  file_deleted_at: Date | null;
};

/**
 * Removes for good the files deleted longer ago than the retention window, and uploads abandoned
 * before confirmation: object first, then row, one file per transaction (db/migrations/0015_files.sql,
 * app_purge_next_file). A failure to delete an object rolls its row back and stops the run, to be
 * retried by the caller's schedule; nothing is left as an object without a row. Each purge is
 * audited in the file's clinic, with the person whose deletion (or upload) it concludes as actor.
 * Safe to run from several workers at once: each file is claimed by one.
 */
export async function purgeDeletedFiles(deps: PurgeDeps, options: PurgeOptions = {}): Promise<{ purged: PurgedFile[] }> {
  const requestId = options.requestId ?? `files-purge-${randomUUID()}`;
  const limit = options.limit ?? 100;
  const purged: PurgedFile[] = [];
  while (purged.length < limit) {
    const file = await deps.sql.begin(async (tx) => {
      // No principal: the function decides what is due, and nothing else is visible.
      await tx.unsafe(`set local role ${ROLES.runtime}`);
      const [due] = await tx<DueFile[]>`select * from app_purge_next_file(
        make_interval(days => ${deps.retentionDays}), make_interval(hours => ${ABANDONED_UPLOAD_HOURS}))`;
      if (due === undefined) return null;
      await deps.storage.delete(due.file_storage_key);
      await actAs(tx, { principalId: due.actor_principal_id, organizationId: due.file_organization_id, membershipRole: null, platformRole: null });
      await appendAudit(tx, {
        requestId,
        actorPrincipalId: due.actor_principal_id,
        organizationId: due.file_organization_id,
        action: 'file.purged',
        entityType: 'file',
        entityId: due.file_id,
        writeId: null,
        changes: { reason: due.purge_reason, deletedAt: due.file_deleted_at?.toISOString() ?? null, retentionDays: deps.retentionDays },
      });
      return { id: due.file_id, organizationId: due.file_organization_id, reason: due.purge_reason };
    });
    if (file === null) break;
    purged.push(file);
  }
  return { purged };
}
