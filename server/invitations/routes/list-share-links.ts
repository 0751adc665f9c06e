import type { InvitationsRouter, ShareLinkDeps } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { listShareLinks } from '../share-links.ts';

/** GET /api/v1/share-links — the caller's clinic's share-links, with their codes, uses and status. */
export function listShareLinksRoute(router: InvitationsRouter, deps: ShareLinkDeps): void {
  router.get('/share-links', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.body = { shareLinks: await listShareLinks(deps, auth) };
  });
}
