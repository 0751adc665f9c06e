import { z } from 'zod';
import { ZMembershipRole } from '../../../sync-rules/context.ts';
import { ZName } from '../../../sync-rules/validation.ts';
import { parseInput } from '../../api-v1/input.ts';
import { ZMailLocale } from '../../notify/categories.ts';
import type { InvitationDeps, InvitationsRouter } from '../deps.ts';
import { authenticateHuman } from '../human.ts';
import { createInvitation } from '../invitations.ts';

export const ZInvitationEmail = z.string().trim().toLowerCase().pipe(z.email().max(320));
// The name greets the person in the mail's first line: no control characters.
const ZInviteeName = ZName.regex(/^\P{Cc}*$/u, 'must not contain control characters');
export const ZExpiresInDays = z.number().int().min(1).max(30);

const common = {
  email: ZInvitationEmail,
  name: ZInviteeName.nullable().default(null),
  locale: ZMailLocale.default('ro'),
  expiresInDays: ZExpiresInDays.default(7),
};

export const ZCreateInvitationBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('member'), role: ZMembershipRole, ...common }),
  z.object({ kind: z.literal('patient'), patientId: z.uuid().nullable().default(null), ...common }),
]);
export type TCreateInvitationBody = z.infer<typeof ZCreateInvitationBody>;

/**
 * POST /api/v1/invitations — owners and admins invite staff (any role; owner only by an owner) or a
 * named patient; the mail goes out through the outbox. The answer never holds the token.
 */
export function createInvitationRoute(router: InvitationsRouter, deps: InvitationDeps): void {
  router.post('/invitations', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const body = parseInput(ZCreateInvitationBody, ctx.request.body);
    const input = { ...body, role: body.kind === 'member' ? body.role : null };
    ctx.status = 201;
    ctx.body = await createInvitation(deps, auth, ctx.state.request, input);
  });
}
