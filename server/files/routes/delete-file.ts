import { parseInput } from '../../api-v1/input.ts';
import type { FileDeps, FilesRouter } from '../deps.ts';
import { authenticatePerson } from '../people-only.ts';
import { deleteFile } from '../soft-delete.ts';
import { ZFileParams } from './file-id.ts';

/** DELETE /api/v1/files/:id — soft delete: hidden at once, restorable within the retention window. */
export function deleteFileRoute(router: FilesRouter, deps: FileDeps): void {
  router.delete('/files/:id', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZFileParams, ctx.params);
    await deleteFile(deps, auth, ctx.state.request, id);
    ctx.status = 204;
  });
}
