import Router from '@koa/router';
import type { AppState } from '../request-context.ts';
import type { FileDeps } from './deps.ts';
import { confirmUploadRoute } from './routes/confirm-upload.ts';
import { deleteFileRoute } from './routes/delete-file.ts';
import { downloadFileRoute } from './routes/download-file.ts';
import { getFileRoute } from './routes/get-file.ts';
import { listDeletedFilesRoute } from './routes/list-deleted-files.ts';
import { listFilesRoute } from './routes/list-files.ts';
import { requestUploadRoute } from './routes/request-upload.ts';
import { restoreFileRoute } from './routes/restore-file.ts';

/**
 * /api/v1/files: a clinic's files in object storage (docs/adr/0016-files-and-object-storage.md).
 * People only. Bytes never pass through here: uploads and downloads go straight to storage through
 * short-lived signed URLs issued after the access check.
 */
export function fileRoutes(deps: FileDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  // /files/deleted before /files/:id, so that its path is never read as an id.
  for (const route of [listDeletedFilesRoute, requestUploadRoute, listFilesRoute, getFileRoute, confirmUploadRoute, downloadFileRoute, deleteFileRoute, restoreFileRoute]) route(router, deps);
  return router;
}
