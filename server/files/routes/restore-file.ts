import { parseInput } from '../../api-v1/input.ts';
import type { FileDeps, FilesRouter } from '../deps.ts';
import { authenticatePerson } from '../people-only.ts';
import { restoreFile } from '../soft-delete.ts';
import { ZFileParams } from './file-id.ts';

/** POST /api/v1/files/:id/restore — brings a deleted file back within the retention window. */
export function restoreFileRoute(router: FilesRouter, deps: FileDeps): void {
  router.post('/files/:id/restore', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZFileParams, ctx.params);
    ctx.body = { file: await restoreFile(deps, auth, ctx.state.request, id) };
  });
}
