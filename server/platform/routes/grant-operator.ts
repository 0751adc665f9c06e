import { z } from 'zod';
import { ZPlatformRole } from '../../../sync-rules/context.ts';
import { parseInput } from '../../api-v1/input.ts';
import type { PlatformDeps, PlatformRouter } from '../deps.ts';
import { grantOperator } from '../operators.ts';

export const ZGrantOperatorBody = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email().max(320)),
  role: ZPlatformRole,
});
export type TGrantOperatorBody = z.infer<typeof ZGrantOperatorBody>;

/** POST /api/platform/operators — a superadmin grants a platform role to an existing account, by address. */
export function grantOperatorRoute(router: PlatformRouter, deps: PlatformDeps): void {
  router.post('/operators', async (ctx) => {
    const auth = await deps.authenticate(ctx.get('authorization'), ctx.state.request);
    const body = parseInput(ZGrantOperatorBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = { operator: await grantOperator(deps, auth, ctx.state.request, body) };
  });
}
