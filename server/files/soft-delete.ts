import type { TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import type { FileDeps } from './deps.ts';
import { DELETED_FILES_SETTING, fileView, selectFiles, type FileRow, type FileView } from './file-view.ts';
import { requireFilePermission } from './people-only.ts';

const DAY_MS = 24 * 3600 * 1000;

/** A deleted file, as its clinic's file managers see it in the trash. */
export type DeletedFileView = FileView & { restorableUntil: string };

/**
 * Acting for a file manager on deleted files: the one place the server lifts RLS's hiding of them
 * (db/migrations/0015_files.sql), for this transaction only.
 */
async function actOnDeleted(tx: TransactionSql, auth: AuthContext): Promise<void> {
  await actAs(tx, auth);
  await tx`select set_config(${DELETED_FILES_SETTING}, 'visible', true)`;
}

const restorableUntil = (deletedAt: Date, retentionDays: number): Date => new Date(deletedAt.getTime() + retentionDays * DAY_MS);

/** Soft-deletes a live file: hidden at once, restorable for the retention window, then purged. */
export async function deleteFile(deps: FileDeps, auth: AuthContext, request: RequestContext, id: string): Promise<void> {
  const organizationId = requireFilePermission(auth, 'files.manage');
  await deps.sql.begin(async (tx) => {
    await actOnDeleted(tx, auth);
    const deleted = await tx`update files set deleted_at = now(), deleted_by = ${auth.principalId}, updated_by = ${auth.principalId}
      where id = ${id} and organization_id = ${organizationId} and deleted_at is null`;
    if (deleted.count === 0) throw new DomainError('NOT_FOUND', 'file not found');
    await appendAudit(tx, {
      requestId: request.requestId,
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'file.deleted',
      entityType: 'file',
      entityId: id,
      writeId: null,
      changes: { retentionDays: deps.policy.retentionDays },
    });
  });
}

/**
 * Brings a deleted file back while the retention window is open; restoring a live file changes
 * nothing. Past the window the file is as good as purged: FILE_RETENTION_EXPIRED.
 */
export async function restoreFile(deps: FileDeps, auth: AuthContext, request: RequestContext, id: string): Promise<FileView> {
  const organizationId = requireFilePermission(auth, 'files.manage');
  return deps.sql.begin(async (tx) => {
    await actOnDeleted(tx, auth);
    const [row] = await tx<FileRow[]>`${selectFiles(tx)} where id = ${id} and organization_id = ${organizationId} for update`;
    if (row === undefined) throw new DomainError('NOT_FOUND', 'file not found');
    if (row.deleted_at === null) return fileView(row);
    const restored = await tx`update files set deleted_at = null, deleted_by = null, updated_by = ${auth.principalId}
      where id = ${id} and deleted_at > now() - make_interval(days => ${deps.policy.retentionDays})`;
    if (restored.count === 0) throw new DomainError('FILE_RETENTION_EXPIRED', 'the file was deleted too long ago to be restored');
    await appendAudit(tx, {
      requestId: request.requestId,
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'file.restored',
      entityType: 'file',
      entityId: id,
      writeId: null,
      changes: { deletedAt: row.deleted_at.toISOString(), deletedBy: row.deleted_by },
    });
    const [live] = await tx<FileRow[]>`${selectFiles(tx)} where id = ${id}`;
    if (live === undefined) throw new DomainError('INTERNAL', 'the file vanished while it was restored');
    return fileView(live);
  });
}

/** The trash: the caller's clinic's deleted files that can still be restored, most recent first. */
export async function listDeletedFiles(deps: FileDeps, auth: AuthContext): Promise<DeletedFileView[]> {
  const organizationId = requireFilePermission(auth, 'files.manage');
  return deps.sql.begin(async (tx) => {
    await actOnDeleted(tx, auth);
    const rows = await tx<(FileRow & { deleted_at: Date })[]>`${selectFiles(tx)}
      where organization_id = ${organizationId} and deleted_at is not null
        and deleted_at > now() - make_interval(days => ${deps.policy.retentionDays})
      order by deleted_at desc, id`;
    return rows.map((row) => ({ ...fileView(row), restorableUntil: restorableUntil(row.deleted_at, deps.policy.retentionDays).toISOString() }));
  });
}
