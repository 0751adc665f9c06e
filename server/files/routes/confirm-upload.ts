import { parseInput } from '../../api-v1/input.ts';
import type { FileDeps, FilesRouter } from '../deps.ts';
import { authenticatePerson } from '../people-only.ts';
import { confirmUpload } from '../upload.ts';
import { ZFileParams } from './file-id.ts';

/** POST /api/v1/files/:id/confirm — after the PUT: storage is checked against the declaration. */
export function confirmUploadRoute(router: FilesRouter, deps: FileDeps): void {
  router.post('/files/:id/confirm', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZFileParams, ctx.params);
    ctx.body = { file: await confirmUpload(deps, auth, ctx.state.request, id) };
  });
}
