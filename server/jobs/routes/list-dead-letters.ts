import type { JobRouteDeps, JobRouter } from '../deps.ts';
import { listDeadLetters } from '../dead-letters.ts';

/** GET /api/platform/jobs/dead-letters — jobs that used up their attempts, newest failure first. */
export function listDeadLettersRoute(router: JobRouter, deps: JobRouteDeps): void {
  router.get('/dead-letters', async (ctx) => {
    const auth = await deps.authenticate(ctx.get('authorization'), ctx.state.request);
    ctx.body = { deadLetters: await listDeadLetters(deps.sql, auth) };
  });
}
