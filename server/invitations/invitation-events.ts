import { z } from 'zod';
import { ZMembershipRole } from '../../sync-rules/context.ts';
import { defineEvent } from '../events/define-event.ts';
import { ZMailLocale } from '../notify/categories.ts';
import { INVITATION_TOKEN_PATTERN } from './secrets.ts';

/** Everything the mail of one send needs, read in the transaction that created or renewed the invitation. */
const ZInvitationSent = z.object({
  invitationId: z.uuid(),
  organizationId: z.uuid(),
  /** Which send this is: part of the mail's idempotency key, so a resend mails again and a retry does not. */
  sentCount: z.number().int().min(1),
  kind: z.enum(['member', 'patient']),
  role: ZMembershipRole.nullable(),
  email: z.email(),
  name: z.string().min(1).max(200).nullable(),
  locale: ZMailLocale,
  organizationName: z.string().min(1).max(200),
  inviterName: z.string().min(1).max(200).nullable(),
  expiresAt: z.iso.datetime({ offset: true }),
});

// Security: the link's token exists nowhere else (the database keeps its hash); it lives in the
// event's secret until the mail is out.
const ZInvitationToken = z.object({ token: z.string().regex(INVITATION_TOKEN_PATTERN) });

export const invitationCreated = defineEvent({
  name: 'invitation.created',
  version: 1,
  payload: ZInvitationSent,
  secret: ZInvitationToken,
  description: 'A clinic invited someone by email (staff with a role, or a patient). The invitation mail goes out from it.',
});

export const invitationResent = defineEvent({
  name: 'invitation.resent',
  version: 1,
  payload: ZInvitationSent,
  secret: ZInvitationToken,
  description: 'An open invitation was sent again with a new link, superseding the previous one. The mail goes out from it.',
});

export type InvitationSent = z.output<typeof ZInvitationSent>;
