import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import type { InvitationDeps, InvitationsRouter } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { revokeInvitation } from '../invitations.ts';

export const ZRevokeInvitationParams = z.object({ id: z.uuid() });
export type TRevokeInvitationParams = z.infer<typeof ZRevokeInvitationParams>;

/** DELETE /api/v1/invitations/:id — withdraws an open invitation for good. */
export function revokeInvitationRoute(router: InvitationsRouter, deps: InvitationDeps): void {
  router.delete('/invitations/:id', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZRevokeInvitationParams, ctx.params);
    await revokeInvitation(deps.sql, auth, ctx.state.request, id);
    ctx.status = 204;
  });
}
