import Router from '@koa/router';
import type { AppState } from '../request-context.ts';
import type { JobRouteDeps } from './deps.ts';
import { listDeadLettersRoute } from './routes/list-dead-letters.ts';
import { retryDeadLetterRoute } from './routes/retry-dead-letter.ts';

/**
 * /api/platform/jobs: the job queue's dead letters, for superadmins (platform.manage). People with an
 * access token only; each route authenticates, validates and calls the service, which checks the
 * permission first.
 */
export function jobRoutes(deps: JobRouteDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/platform/jobs' });
  for (const route of [listDeadLettersRoute, retryDeadLetterRoute]) route(router, deps);
  return router;
}
