import { z } from 'zod';
import { ZName } from '../../../sync-rules/validation.ts';
import { parseInput } from '../../api-v1/input.ts';
import type { InvitationsRouter, ShareLinkDeps } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { createShareLink } from '../share-links.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_LIFETIME_DAYS = 90;
const MAX_LIFETIME_DAYS = 366;

export const ZCreateShareLinkBody = z.object({
  label: ZName,
  expiresAt: z.iso.datetime({ offset: true })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() > Date.now() + 60_000, 'must be in the future')
    .refine((date) => date.getTime() <= Date.now() + MAX_LIFETIME_DAYS * DAY_MS, 'must be within a year')
    .optional()
    .transform((date) => date ?? new Date(Date.now() + DEFAULT_LIFETIME_DAYS * DAY_MS)),
  maxUses: z.number().int().min(1).max(1_000_000).nullable().default(null),
});
export type TCreateShareLinkBody = z.infer<typeof ZCreateShareLinkBody>;

/** POST /api/v1/share-links — a new code for a poster or an intake desk (90 days unless said otherwise). */
export function createShareLinkRoute(router: InvitationsRouter, deps: ShareLinkDeps): void {
  router.post('/share-links', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const body = parseInput(ZCreateShareLinkBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = { shareLink: await createShareLink(deps, auth, ctx.state.request, body) };
  });
}
