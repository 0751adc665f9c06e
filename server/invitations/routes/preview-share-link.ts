import { parseInput } from '../../api-v1/input.ts';
import type { InvitationsRouter, ShareLinkDeps } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { previewShareLink } from '../preview-share-link.ts';
import { ZJoinShareLinkBody } from './join-share-link.ts';

/** POST /api/v1/share-links/preview — the clinic of a code (typed or scanned), before joining it. */
export function previewShareLinkRoute(router: InvitationsRouter, deps: ShareLinkDeps): void {
  router.post('/share-links/preview', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { code } = parseInput(ZJoinShareLinkBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { shareLink: await previewShareLink(deps.sql, auth, code) };
  });
}
