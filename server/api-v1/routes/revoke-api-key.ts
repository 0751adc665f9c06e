import { z } from 'zod';
import { revokeApiKey } from '../../api-keys/api-keys.ts';
import type { ApiV1Deps, ApiV1Router } from '../deps.ts';
import { parseInput } from '../input.ts';

export const ZRevokeApiKeyParams = z.object({ id: z.uuid() });
export type TRevokeApiKeyParams = z.infer<typeof ZRevokeApiKeyParams>;

/** DELETE /api/v1/api-keys/:id — revokes for good; the key stops working with the next request. */
export function revokeApiKeyRoute(router: ApiV1Router, deps: ApiV1Deps): void {
  router.delete('/api-keys/:id', async (ctx) => {
    const caller = await deps.authenticateCaller(ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZRevokeApiKeyParams, ctx.params);
    await revokeApiKey(deps.sql, caller, ctx.state.request, id);
    ctx.status = 204;
  });
}
