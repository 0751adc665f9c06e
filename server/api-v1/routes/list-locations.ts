import { z } from 'zod';
import { LOCATION_STATUSES } from '../../../sync-rules/mutators/locations.ts';
import type { ApiV1Deps, ApiV1Router } from '../deps.ts';
import { parseInput } from '../input.ts';
import { listLocations } from '../locations.ts';

export const ZListLocationsQuery = z.object({ status: z.enum(LOCATION_STATUSES).optional() });
export type TListLocationsQuery = z.infer<typeof ZListLocationsQuery>;

/** GET /api/v1/locations — the caller's clinic's locations (permission locations.read). */
export function listLocationsRoute(router: ApiV1Router, deps: ApiV1Deps): void {
  router.get('/locations', async (ctx) => {
    const caller = await deps.authenticateCaller(ctx.get('authorization'), ctx.state.request);
    const query = parseInput(ZListLocationsQuery, ctx.query);
    ctx.body = { locations: await listLocations(deps.sql, caller, query) };
  });
}
