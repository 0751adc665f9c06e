import Router from '@koa/router';
import type { AppState } from '../request-context.ts';
import type { DataRequestDeps } from './deps.ts';
import { askForRequestRoute } from './routes/ask-for-request.ts';
import { decideRequestRoute } from './routes/decide-request.ts';
import { downloadExportRoute } from './routes/download-export.ts';
import { listClinicRequestsRoute } from './routes/list-clinic-requests.ts';
import { listMyRequestsRoute } from './routes/list-my-requests.ts';

/**
 * Data-subject requests (docs/adr/0022-data-subject-requests.md). People only. /me/data-requests is
 * the patient's side: ask, follow, download an export. /data-requests is the clinic's: its queue and
 * its decisions. There is no platform side: the clinic is the controller and decides.
 */
export function dataRequestRoutes(deps: DataRequestDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  for (const route of [listMyRequestsRoute, askForRequestRoute, downloadExportRoute, listClinicRequestsRoute, decideRequestRoute]) route(router, deps);
  return router;
}
