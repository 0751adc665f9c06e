import { z } from 'zod';
import { ZName } from '../../../sync-rules/validation.ts';
import { createApiKey } from '../../api-keys/api-keys.ts';
import { API_KEY_PERMISSIONS } from '../../api-keys/permissions.ts';
import type { ApiV1Deps, ApiV1Router } from '../deps.ts';
import { parseInput } from '../input.ts';

// A key that expires within minutes is a mistake more often than an intention.
const MIN_LIFETIME_MS = 5 * 60 * 1000;

export const ZCreateApiKeyParams = z.object({ id: z.uuid() });
export const ZCreateApiKeyBody = z.object({
  name: ZName,
  permissions: z.array(z.enum(API_KEY_PERMISSIONS)).min(1).transform((list) => [...new Set(list)]),
  expiresAt: z.iso.datetime({ offset: true })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() - Date.now() >= MIN_LIFETIME_MS, 'must be at least five minutes from now')
    .nullable()
    .default(null),
});
export type TCreateApiKeyBody = z.infer<typeof ZCreateApiKeyBody>;

/**
 * POST /api/v1/service-accounts/:id/api-keys — the answer holds the whole key, the only time it is
 * ever shown; it is not cached anywhere on the way.
 */
export function createApiKeyRoute(router: ApiV1Router, deps: ApiV1Deps): void {
  router.post('/service-accounts/:id/api-keys', async (ctx) => {
    const caller = await deps.authenticateCaller(ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZCreateApiKeyParams, ctx.params);
    const body = parseInput(ZCreateApiKeyBody, ctx.request.body);
    const apiKey = await createApiKey(deps.sql, caller, ctx.state.request, id, body, deps.keyEnvironment);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = { apiKey };
  });
}
