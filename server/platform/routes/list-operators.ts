import type { PlatformDeps, PlatformRouter } from '../deps.ts';
import { listOperators } from '../operators.ts';

/** GET /api/platform/operators — everyone holding a platform role, with whether they have a second factor. */
export function listOperatorsRoute(router: PlatformRouter, deps: PlatformDeps): void {
  router.get('/operators', async (ctx) => {
    const auth = await deps.authenticate(ctx.get('authorization'), ctx.state.request);
    ctx.body = { operators: await listOperators(deps, auth) };
  });
}
