import type Router from '@koa/router';
import type { Sql } from 'postgres';
import type { Authenticator } from '../../auth/authenticate.ts';
import { authenticateHuman } from '../../invitations/human.ts';
import type { AppState } from '../../request-context.ts';
import { listActivity } from '../activity.ts';

export type ActivityDeps = { sql: Sql; authenticate: Authenticator };

/** GET /api/v1/activity — when each member of the caller's clinic was last seen there (members.manage). */
export function listActivityRoute(router: Router<AppState>, deps: ActivityDeps): void {
  router.get('/activity', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.body = { activity: await listActivity(deps.sql, auth) };
  });
}
