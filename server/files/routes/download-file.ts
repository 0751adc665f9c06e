import { parseInput } from '../../api-v1/input.ts';
import type { FileDeps, FilesRouter } from '../deps.ts';
import { issueDownload } from '../download.ts';
import { authenticatePerson } from '../people-only.ts';
import { ZFileParams } from './file-id.ts';

/**
 * POST /api/v1/files/:id/download — a short-lived signed URL to fetch the file, audited. A POST: it
 * writes an audit row, so nothing that prefetches or caches GETs may trigger it.
 */
export function downloadFileRoute(router: FilesRouter, deps: FileDeps): void {
  router.post('/files/:id/download', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZFileParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { download: await issueDownload(deps, auth, ctx.state.request, id) };
  });
}
