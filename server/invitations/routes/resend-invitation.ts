import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import type { InvitationDeps, InvitationsRouter } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { resendInvitation } from '../invitations.ts';
import { ZExpiresInDays } from './create-invitation.ts';

export const ZResendInvitationParams = z.object({ id: z.uuid() });
export const ZResendInvitationBody = z.object({ expiresInDays: ZExpiresInDays.default(7) });
export type TResendInvitationBody = z.infer<typeof ZResendInvitationBody>;

/** POST /api/v1/invitations/:id/resend — a new link and expiry; the previous link stops working. */
export function resendInvitationRoute(router: InvitationsRouter, deps: InvitationDeps): void {
  router.post('/invitations/:id/resend', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZResendInvitationParams, ctx.params);
    const body = parseInput(ZResendInvitationBody, ctx.request.body ?? {});
    ctx.body = await resendInvitation(deps, auth, ctx.state.request, id, body);
  });
}
