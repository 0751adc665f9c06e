import type { InvitationDeps, InvitationsRouter } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { listInvitations } from '../invitations.ts';

/** GET /api/v1/invitations — the caller's clinic's invitations with their status; never a token or its hash. */
export function listInvitationsRoute(router: InvitationsRouter, deps: InvitationDeps): void {
  router.get('/invitations', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.body = { invitations: await listInvitations(deps.sql, auth) };
  });
}
