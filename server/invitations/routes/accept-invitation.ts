import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import { acceptInvitation } from '../accept-invitation.ts';
import type { InvitationDeps, InvitationsRouter } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { INVITATION_TOKEN_PATTERN } from '../secrets.ts';

export const ZAcceptInvitationBody = z.object({ token: z.string().regex(INVITATION_TOKEN_PATTERN, 'not an invitation token') });
export type TAcceptInvitationBody = z.infer<typeof ZAcceptInvitationBody>;

/**
 * POST /api/v1/invitations/accept — by the signed-in person the invitation was sent to. The token
 * comes in the body, never in this URL, so it stays out of access logs.
 */
export function acceptInvitationRoute(router: InvitationsRouter, deps: InvitationDeps): void {
  router.post('/invitations/accept', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { token } = parseInput(ZAcceptInvitationBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { accepted: await acceptInvitation(deps, auth, ctx.state.request, token) };
  });
}
