import { parseInput } from '../../api-v1/input.ts';
import type { PlatformDeps, PlatformRouter } from '../deps.ts';
import { revokeOperator } from '../operators.ts';
import { ZOperatorParams } from './change-operator-role.ts';

/** DELETE /api/platform/operators/:principalId — a superadmin takes another operator's platform role away. */
export function revokeOperatorRoute(router: PlatformRouter, deps: PlatformDeps): void {
  router.delete('/operators/:principalId', async (ctx) => {
    const auth = await deps.authenticate(ctx.get('authorization'), ctx.state.request);
    const { principalId } = parseInput(ZOperatorParams, ctx.params);
    await revokeOperator(deps, auth, ctx.state.request, principalId);
    ctx.status = 204;
  });
}
