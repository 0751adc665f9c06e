import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import type { FileDeps, FilesRouter } from '../deps.ts';
import { authenticatePerson } from '../people-only.ts';
import { requestUpload } from '../upload.ts';

export const ZRequestUploadBody = z.object({
  // Offered again as the download's file name: no control characters, no path.
  name: z.string().trim().min(1).max(255).regex(/^[^\p{Cc}/\\]+$/u, 'must be a file name without a path'),
  contentType: z.string().trim().toLowerCase().max(255)
    .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'must be a media type such as application/pdf'),
  sizeBytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the hex SHA-256 of the file').transform((hex) => hex.toLowerCase()),
});
export type TRequestUploadBody = z.infer<typeof ZRequestUploadBody>;

/**
 * POST /api/v1/files — declares an upload; answers the file (pending) and the one PUT that may fill
 * it. Files over the size limit or of a type not allowed are refused before any URL exists.
 */
export function requestUploadRoute(router: FilesRouter, deps: FileDeps): void {
  router.post('/files', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const body = parseInput(ZRequestUploadBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = await requestUpload(deps, auth, ctx.state.request, body);
  });
}
