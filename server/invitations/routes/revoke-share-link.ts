import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import type { InvitationsRouter, ShareLinkDeps } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { revokeShareLink } from '../share-links.ts';

export const ZRevokeShareLinkParams = z.object({ id: z.uuid() });
export type TRevokeShareLinkParams = z.infer<typeof ZRevokeShareLinkParams>;

/** DELETE /api/v1/share-links/:id — the code stops working with the next join. */
export function revokeShareLinkRoute(router: InvitationsRouter, deps: ShareLinkDeps): void {
  router.delete('/share-links/:id', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZRevokeShareLinkParams, ctx.params);
    await revokeShareLink(deps.sql, auth, ctx.state.request, id);
    ctx.status = 204;
  });
}
