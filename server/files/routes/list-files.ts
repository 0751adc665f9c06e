import type { FileDeps, FilesRouter } from '../deps.ts';
import { listFiles } from '../files.ts';
import { authenticatePerson } from '../people-only.ts';

/** GET /api/v1/files — the caller's clinic's files (deleted ones are in /files/deleted). */
export function listFilesRoute(router: FilesRouter, deps: FileDeps): void {
  router.get('/files', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { files: await listFiles(deps, auth) };
  });
}
