import Router from '@koa/router';
import type { Authenticator } from '../auth/authenticate.ts';
import type { AppState } from '../request-context.ts';

/** Who the bearer token belongs to, as the server sees it now. */
export function sessionRoutes(deps: { authenticate: Authenticator }): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/api/session', async (ctx) => {
    ctx.body = { context: await deps.authenticate(ctx.get('authorization'), ctx.state.request) };
  });
  router.get('/api/health', (ctx) => {
    ctx.body = { ok: true };
  });
  return router;
}
