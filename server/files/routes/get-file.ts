import { parseInput } from '../../api-v1/input.ts';
import type { FileDeps, FilesRouter } from '../deps.ts';
import { getFile } from '../files.ts';
import { authenticatePerson } from '../people-only.ts';
import { ZFileParams } from './file-id.ts';

/** GET /api/v1/files/:id — one file of the caller's clinic. */
export function getFileRoute(router: FilesRouter, deps: FileDeps): void {
  router.get('/files/:id', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZFileParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { file: await getFile(deps, auth, id) };
  });
}
