import Router from '@koa/router';
import type { AppState } from '../request-context.ts';
import { listActivityRoute, type ActivityDeps } from './routes/list-activity.ts';

/** /api/v1/activity: last seen per member, for the people who manage a clinic's members. */
export function activityRoutes(deps: ActivityDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  listActivityRoute(router, deps);
  return router;
}
