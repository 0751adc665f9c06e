import Router from '@koa/router';
import type { AppState } from '../request-context.ts';
import type { PlatformDeps } from './deps.ts';
import { changeOperatorRoleRoute } from './routes/change-operator-role.ts';
import { grantOperatorRoute } from './routes/grant-operator.ts';
import { listOperatorsRoute } from './routes/list-operators.ts';
import { revokeOperatorRoute } from './routes/revoke-operator.ts';

/**
 * /api/platform: what the Console's operators manage beyond the synced data. People with an access
 * token only (an API key is not a token and is refused as unauthenticated). Each route authenticates,
 * validates with its schema and calls a service, which checks the permission first.
 */
export function platformRoutes(deps: PlatformDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/platform' });
  for (const route of [listOperatorsRoute, grantOperatorRoute, changeOperatorRoleRoute, revokeOperatorRoute]) route(router, deps);
  return router;
}
