import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import type { JobRouteDeps, JobRouter } from '../deps.ts';
import { retryDeadLetter } from '../dead-letters.ts';

// graphile-worker's job ids are bigints, carried as strings.
export const ZDeadLetterParams = z.object({ jobId: z.string().regex(/^[1-9][0-9]{0,18}$/, 'must be a job id') });
export type TDeadLetterParams = z.infer<typeof ZDeadLetterParams>;

/** POST /api/platform/jobs/dead-letters/:jobId/retry — runs a dead letter again now, with fresh attempts. */
export function retryDeadLetterRoute(router: JobRouter, deps: JobRouteDeps): void {
  router.post('/dead-letters/:jobId/retry', async (ctx) => {
    const auth = await deps.authenticate(ctx.get('authorization'), ctx.state.request);
    const { jobId } = parseInput(ZDeadLetterParams, ctx.params);
    await retryDeadLetter(deps.sql, auth, ctx.state.request, jobId);
    ctx.status = 202;
    ctx.body = { retried: jobId };
  });
}
