import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { actAs } from '../db-scope.ts';
import type { FileDeps } from './deps.ts';
import { fileView, selectFiles, type FileRow, type FileView } from './file-view.ts';
import { requireFilePermission } from './people-only.ts';

/** The caller's clinic's files, newest first; RLS leaves deleted ones out. */
export async function listFiles(deps: FileDeps, auth: AuthContext): Promise<FileView[]> {
  const organizationId = requireFilePermission(auth, 'files.read');
  return deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    const rows = await tx<FileRow[]>`${selectFiles(tx)} where organization_id = ${organizationId} order by created_at desc, id`;
    return rows.map(fileView);
  });
}

/** One file of the caller's clinic; NOT_FOUND alike for a missing id, another clinic's and a deleted one. */
export async function getFile(deps: FileDeps, auth: AuthContext, id: string): Promise<FileView> {
  const organizationId = requireFilePermission(auth, 'files.read');
  return deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    const [row] = await tx<FileRow[]>`${selectFiles(tx)} where id = ${id} and organization_id = ${organizationId}`;
    if (row === undefined) throw new DomainError('NOT_FOUND', 'file not found');
    return fileView(row);
  });
}
