import { z } from 'zod';
import { ZName } from '../../../sync-rules/validation.ts';
import { createServiceAccount } from '../../api-keys/service-accounts.ts';
import type { ApiV1Deps, ApiV1Router } from '../deps.ts';
import { parseInput } from '../input.ts';

export const ZCreateServiceAccountBody = z.object({ name: ZName });
export type TCreateServiceAccountBody = z.infer<typeof ZCreateServiceAccountBody>;

/** POST /api/v1/service-accounts — owners and admins, signed in as themselves (never an API key). */
export function createServiceAccountRoute(router: ApiV1Router, deps: ApiV1Deps): void {
  router.post('/service-accounts', async (ctx) => {
    const caller = await deps.authenticateCaller(ctx.get('authorization'), ctx.state.request);
    const body = parseInput(ZCreateServiceAccountBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = { serviceAccount: await createServiceAccount(deps.sql, caller, ctx.state.request, body) };
  });
}
