import { z } from 'zod';
import { ZPlatformRole } from '../../../sync-rules/context.ts';
import { parseInput } from '../../api-v1/input.ts';
import type { PlatformDeps, PlatformRouter } from '../deps.ts';
import { changeOperatorRole } from '../operators.ts';

export const ZOperatorParams = z.object({ principalId: z.uuid() });
export type TOperatorParams = z.infer<typeof ZOperatorParams>;
export const ZChangeOperatorRoleBody = z.object({ role: ZPlatformRole });
export type TChangeOperatorRoleBody = z.infer<typeof ZChangeOperatorRoleBody>;

/** PATCH /api/platform/operators/:principalId — a superadmin changes another operator's role. */
export function changeOperatorRoleRoute(router: PlatformRouter, deps: PlatformDeps): void {
  router.patch('/operators/:principalId', async (ctx) => {
    const auth = await deps.authenticate(ctx.get('authorization'), ctx.state.request);
    const { principalId } = parseInput(ZOperatorParams, ctx.params);
    const { role } = parseInput(ZChangeOperatorRoleBody, ctx.request.body);
    ctx.body = { operator: await changeOperatorRole(deps, auth, ctx.state.request, principalId, role) };
  });
}
