import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import { authenticatePerson } from '../../files/people-only.ts';
import type { DataRequestDeps, DataRequestsRouter } from '../deps.ts';
import { downloadExport } from '../download-export.ts';
import { ZDataRequestParams } from './request-id.ts';

export const ZDownloadExport = z.object({ format: z.enum(['json', 'html']), locale: z.enum(['en', 'ro']).default('en') }).strict();

/**
 * POST /api/v1/me/data-requests/:id/export — the person's export as a file. A POST: every download
 * writes an audit row, so nothing that prefetches or caches GETs may trigger one.
 */
export function downloadExportRoute(router: DataRequestsRouter, deps: DataRequestDeps): void {
  router.post('/me/data-requests/:id/export', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZDataRequestParams, ctx.params);
    const { format, locale } = parseInput(ZDownloadExport, ctx.request.body ?? {});
    const file = await downloadExport(deps, auth, ctx.state.request, id, format, locale);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="${file.fileName}"`);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = file.contentType;
    ctx.body = file.body;
  });
}
