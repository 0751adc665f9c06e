import { randomUUID } from 'node:crypto';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import type { PresignedUpload } from '../storage/object-storage.ts';
import type { FileDeps } from './deps.ts';
import { checkDeclaredUpload } from './file-policy.ts';
import { fileView, newStorageKey, selectFiles, type FileRow, type FileView } from './file-view.ts';
import { requireFilePermission } from './people-only.ts';

export type DeclaredUpload = { name: string; contentType: string; sizeBytes: number; sha256: string };

/**
 * Declares an upload and returns the one PUT that may fill it: permission first, then the limits,
 * then the row (pending) and its audit entry, then a short-lived URL whose signature binds the
 * declared length, type and SHA-256. The URL is signed inside the transaction, so a failure to
 * sign leaves no row behind.
 */
export async function requestUpload(deps: FileDeps, auth: AuthContext, request: RequestContext, declared: DeclaredUpload): Promise<{ file: FileView; upload: PresignedUpload }> {
  const organizationId = requireFilePermission(auth, 'files.manage');
  checkDeclaredUpload(deps.policy, declared);
  const id = randomUUID();
  const storageKey = newStorageKey();
  const sha256 = Buffer.from(declared.sha256, 'hex');
  return deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    await tx`insert into files (id, organization_id, storage_key, name, content_type, size_bytes, sha256, created_by, updated_by)
      values (${id}, ${organizationId}, ${storageKey}, ${declared.name}, ${declared.contentType}, ${declared.sizeBytes}, ${sha256},
              ${auth.principalId}, ${auth.principalId})`;
    const [row] = await tx<FileRow[]>`${selectFiles(tx)} where id = ${id}`;
    if (row === undefined) throw new DomainError('INTERNAL', 'the file was not recorded');
    const upload = await deps.storage.presignUpload({
      key: storageKey,
      contentType: declared.contentType,
      size: declared.sizeBytes,
      sha256: sha256.toString('base64'),
      expiresInSeconds: deps.policy.uploadUrlTtlSeconds,
    });
    // Last in the transaction: the audit chain is held from here to the commit.
    await appendAudit(tx, {
      requestId: request.requestId,
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'file.upload_requested',
      entityType: 'file',
      entityId: id,
      writeId: null,
      changes: { contentType: declared.contentType, sizeBytes: declared.sizeBytes },
    });
    return { file: fileView(row), upload };
  });
}

/**
 * Marks a pending file uploaded once storage holds exactly what was declared (size, SHA-256, type)
 * and says it encrypted it. An object that differs is deleted and the file stays pending. Confirming
 * an uploaded file again changes nothing.
 */
export async function confirmUpload(deps: FileDeps, auth: AuthContext, request: RequestContext, id: string): Promise<FileView> {
  const organizationId = requireFilePermission(auth, 'files.manage');
  return deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    const [row] = await tx<FileRow[]>`${selectFiles(tx)} where id = ${id} and organization_id = ${organizationId} for update`;
    if (row === undefined) throw new DomainError('NOT_FOUND', 'file not found');
    if (row.status === 'uploaded') return fileView(row);
    const stored = await deps.storage.head(row.storage_key);
    if (stored === null) throw new DomainError('FILE_NOT_UPLOADED', 'nothing has been uploaded for this file yet');
    const matches = stored.size === Number(row.size_bytes)
      && stored.sha256 === row.sha256.toString('base64')
      && stored.contentType === row.content_type
      && stored.serverSideEncryption === deps.storage.expectedEncryption;
    if (!matches) {
      await deps.storage.delete(row.storage_key);
      throw new DomainError('FILE_UPLOAD_MISMATCH', 'the stored object is not the declared file; it was removed');
    }
    await tx`update files set status = 'uploaded', updated_by = ${auth.principalId} where id = ${id}`;
    const [uploaded] = await tx<FileRow[]>`${selectFiles(tx)} where id = ${id}`;
    if (uploaded === undefined) throw new DomainError('INTERNAL', 'the file vanished while it was confirmed');
    await appendAudit(tx, {
      requestId: request.requestId,
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'file.uploaded',
      entityType: 'file',
      entityId: id,
      writeId: null,
      changes: { contentType: row.content_type, sizeBytes: Number(row.size_bytes) },
    });
    return fileView(uploaded);
  });
}
