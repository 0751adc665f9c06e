import { z } from 'zod';
import { listApiKeys } from '../../api-keys/api-keys.ts';
import type { ApiV1Deps, ApiV1Router } from '../deps.ts';
import { parseInput } from '../input.ts';

export const ZListApiKeysParams = z.object({ id: z.uuid() });
export type TListApiKeysParams = z.infer<typeof ZListApiKeysParams>;

/** GET /api/v1/service-accounts/:id/api-keys — prefixes, names, permissions, last use; never a key. */
export function listApiKeysRoute(router: ApiV1Router, deps: ApiV1Deps): void {
  router.get('/service-accounts/:id/api-keys', async (ctx) => {
    const caller = await deps.authenticateCaller(ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZListApiKeysParams, ctx.params);
    ctx.body = { apiKeys: await listApiKeys(deps.sql, caller, id) };
  });
}
