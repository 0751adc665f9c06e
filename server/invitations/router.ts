import Router from '@koa/router';
import type { AppState } from '../request-context.ts';
import type { InvitationDeps, ShareLinkDeps } from './deps.ts';
import { acceptInvitationRoute } from './routes/accept-invitation.ts';
import { createInvitationRoute } from './routes/create-invitation.ts';
import { createShareLinkRoute } from './routes/create-share-link.ts';
import { joinShareLinkRoute } from './routes/join-share-link.ts';
import { listInvitationsRoute } from './routes/list-invitations.ts';
import { listMyClinicsRoute } from './routes/list-my-clinics.ts';
import { listShareLinksRoute } from './routes/list-share-links.ts';
import { previewInvitationRoute } from './routes/preview-invitation.ts';
import { previewShareLinkRoute } from './routes/preview-share-link.ts';
import { resendInvitationRoute } from './routes/resend-invitation.ts';
import { revokeInvitationRoute } from './routes/revoke-invitation.ts';
import { revokeShareLinkRoute } from './routes/revoke-share-link.ts';
import { shareLinkQrRoute } from './routes/share-link-qr.ts';

/**
 * /api/v1/invitations: personal invitations by email (plan 1B.12). People only, never API keys. Each
 * route authenticates, validates with its schema and calls a service.
 */
export function invitationRoutes(deps: InvitationDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  // accept and preview before /:id routes, so that their paths are never read as an id.
  for (const route of [acceptInvitationRoute, previewInvitationRoute, createInvitationRoute, listInvitationsRoute, resendInvitationRoute, revokeInvitationRoute]) route(router, deps);
  return router;
}

/**
 * /api/v1/share-links: multi-use codes for posters and intake desks, and joining by one; and
 * /api/v1/me/clinics, the clinics a person joined as a patient (by a code or an invitation).
 */
export function shareLinkRoutes(deps: ShareLinkDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  for (const route of [joinShareLinkRoute, previewShareLinkRoute, listMyClinicsRoute, createShareLinkRoute, listShareLinksRoute, revokeShareLinkRoute, shareLinkQrRoute]) route(router, deps);
  return router;
}
