import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import type { InvitationsRouter, ShareLinkDeps } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { joinShareLink } from '../join-share-link.ts';
import { normaliseShareCode } from '../secrets.ts';

export const ZJoinShareLinkBody = z.object({
  code: z.string().max(32).transform((value, ctx) => {
    const code = normaliseShareCode(value);
    if (code === null) {
      ctx.addIssue({ code: 'custom', message: 'not a share-link code' });
      return z.NEVER;
    }
    return code;
  }),
});
export type TJoinShareLinkBody = z.infer<typeof ZJoinShareLinkBody>;

/** POST /api/v1/share-links/join — a signed-in person joins the clinic of a code (typed or scanned). */
export function joinShareLinkRoute(router: InvitationsRouter, deps: ShareLinkDeps): void {
  router.post('/share-links/join', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { code } = parseInput(ZJoinShareLinkBody, ctx.request.body);
    ctx.body = { joined: await joinShareLink(deps.sql, auth, ctx.state.request, code) };
  });
}
