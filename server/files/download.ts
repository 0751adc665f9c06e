import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import type { PresignedDownload } from '../storage/object-storage.ts';
import type { FileDeps } from './deps.ts';
import { selectFiles, type FileRow } from './file-view.ts';
import { requireFilePermission } from './people-only.ts';

/**
 * A short-lived signed GET for one uploaded file of the caller's clinic, saved under its name. The
 * audit row is written in the same transaction as the check, so no URL is handed out unrecorded.
 * NOT_FOUND alike for a missing id, another clinic's file and a deleted one.
 */
export async function issueDownload(deps: FileDeps, auth: AuthContext, request: RequestContext, id: string): Promise<PresignedDownload> {
  const organizationId = requireFilePermission(auth, 'files.read');
  return deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    const [row] = await tx<FileRow[]>`${selectFiles(tx)} where id = ${id} and organization_id = ${organizationId}`;
    if (row === undefined) throw new DomainError('NOT_FOUND', 'file not found');
    if (row.status !== 'uploaded') throw new DomainError('FILE_NOT_UPLOADED', 'the file has not been uploaded yet');
    const download = await deps.storage.presignDownload({
      key: row.storage_key, fileName: row.name, contentType: row.content_type, expiresInSeconds: deps.policy.downloadUrlTtlSeconds,
    });
    // Last in the transaction (the audit chain is held until the commit); the URL leaves only after it.
    await appendAudit(tx, {
      requestId: request.requestId,
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'file.downloaded',
      entityType: 'file',
      entityId: id,
      writeId: null,
      changes: { expiresInSeconds: deps.policy.downloadUrlTtlSeconds },
    });
    return download;
  });
}
