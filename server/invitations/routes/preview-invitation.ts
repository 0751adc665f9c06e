import { parseInput } from '../../api-v1/input.ts';
import type { InvitationDeps, InvitationsRouter } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { previewInvitation } from '../preview-invitation.ts';
import { ZAcceptInvitationBody } from './accept-invitation.ts';

/**
 * POST /api/v1/invitations/preview — what an invitation offers, for its invitee's accept page. A POST
 * with the token in the body, like accepting, so that the token stays out of URLs and logs.
 */
export function previewInvitationRoute(router: InvitationsRouter, deps: InvitationDeps): void {
  router.post('/invitations/preview', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { token } = parseInput(ZAcceptInvitationBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { invitation: await previewInvitation(deps, auth, token) };
  });
}
