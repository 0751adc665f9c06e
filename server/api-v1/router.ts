import Router from '@koa/router';
import type { AppState } from '../request-context.ts';
import type { ApiV1Deps } from './deps.ts';
import { createApiKeyRoute } from './routes/create-api-key.ts';
import { createServiceAccountRoute } from './routes/create-service-account.ts';
import { getLocationRoute } from './routes/get-location.ts';
import { listApiKeysRoute } from './routes/list-api-keys.ts';
import { listLocationsRoute } from './routes/list-locations.ts';
import { revokeApiKeyRoute } from './routes/revoke-api-key.ts';

/**
 * /api/v1: REST for integrations, under the same access rules as the apps. Each route authenticates
 * (API key or access token), validates with its schema and calls a service; nothing else.
 */
export function apiV1Routes(deps: ApiV1Deps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  for (const route of [
    listLocationsRoute,
    getLocationRoute,
    createServiceAccountRoute,
    createApiKeyRoute,
    listApiKeysRoute,
    revokeApiKeyRoute,
  ]) route(router, deps);
  return router;
}
