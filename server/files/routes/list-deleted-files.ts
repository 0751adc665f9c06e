import type { FileDeps, FilesRouter } from '../deps.ts';
import { authenticatePerson } from '../people-only.ts';
import { listDeletedFiles } from '../soft-delete.ts';

/** GET /api/v1/files/deleted — the trash: deleted files that can still be restored (file managers). */
export function listDeletedFilesRoute(router: FilesRouter, deps: FileDeps): void {
  router.get('/files/deleted', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { files: await listDeletedFiles(deps, auth) };
  });
}
