import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import type { InvitationsRouter, ShareLinkDeps } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { shareLinkQr } from '../share-links.ts';

export const ZShareLinkQrParams = z.object({ id: z.uuid() });
export type TShareLinkQrParams = z.infer<typeof ZShareLinkQrParams>;

/** GET /api/v1/share-links/:id/qr.svg — the poster's QR code of the join URL, printable at any time. */
export function shareLinkQrRoute(router: InvitationsRouter, deps: ShareLinkDeps): void {
  router.get('/share-links/:id/qr.svg', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZShareLinkQrParams, ctx.params);
    const { svg, code } = await shareLinkQr(deps, auth, id);
    ctx.type = 'image/svg+xml';
    ctx.set('Content-Disposition', `inline; filename="restartix-${code}.svg"`);
    // An image, never a document: nothing in it may run, whoever opens it directly.
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.body = svg;
  });
}
