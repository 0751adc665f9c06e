import { z } from 'zod';
import type { ApiV1Deps, ApiV1Router } from '../deps.ts';
import { parseInput } from '../input.ts';
import { getLocation } from '../locations.ts';

export const ZGetLocationParams = z.object({ id: z.uuid() });
export type TGetLocationParams = z.infer<typeof ZGetLocationParams>;

/** GET /api/v1/locations/:id — one location of the caller's clinic; 404 for any other id. */
export function getLocationRoute(router: ApiV1Router, deps: ApiV1Deps): void {
  router.get('/locations/:id', async (ctx) => {
    const caller = await deps.authenticateCaller(ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZGetLocationParams, ctx.params);
    ctx.body = { location: await getLocation(deps.sql, caller, id) };
  });
}
