import type { MailLocale } from '../notify/categories.ts';
import type { Notifier } from '../notify/notify.ts';
import type { RequestContext } from '../request-context.ts';

/** Everything the mail of one send of an invitation needs, read in the transaction that sent it. */
export type InvitationMail = {
  invitationId: string;
  /** Which send this is: part of the idempotency key, so a resend mails again and a retry does not. */
  sentCount: number;
  kind: 'member' | 'patient';
  email: string;
  name: string | null;
  locale: MailLocale;
  organizationName: string;
  inviterName: string | null;
  token: string;
  expiresAt: Date;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Staff accept in the Clinic app, patients in the Portal. The token travels in the link only. */
export function acceptUrl(baseURL: string, kind: InvitationMail['kind'], token: string): string {
  return `${baseURL.replace(/\/+$/, '')}/${kind === 'member' ? 'clinic' : 'portal'}/invitations/accept?token=${token}`;
}

/**
 * Sends one invitation mail, after the transaction that created or renewed the invitation has
 * committed, white-labelled with the clinic's name. A failure does not undo the invitation: it is
 * logged (never the link) and reported as `false`, and resending it is the remedy.
 */
export async function sendInvitationMail(deps: { notify: Notifier; baseURL: string }, request: RequestContext, mail: InvitationMail): Promise<boolean> {
  const recipient = { email: mail.email, locale: mail.locale, ...(mail.name === null ? {} : { name: mail.name }) };
  const expiresInDays = Math.max(1, Math.round((mail.expiresAt.getTime() - Date.now()) / DAY_MS));
  const url = acceptUrl(deps.baseURL, mail.kind, mail.token);
  const idempotencyKey = `invitation:${mail.invitationId}:${String(mail.sentCount)}`;
  try {
    if (mail.kind === 'member') {
      await deps.notify.send(recipient, 'member_invitation', {
        organizationName: mail.organizationName,
        ...(mail.inviterName === null ? {} : { inviterName: mail.inviterName }),
        acceptUrl: url,
        expiresInDays,
      }, idempotencyKey);
    } else {
      await deps.notify.send(recipient, 'patient_invitation', { organizationName: mail.organizationName, acceptUrl: url, expiresInDays }, idempotencyKey);
    }
    return true;
  } catch (error) {
    // Security: only the error's name; a message could quote the link (and its token) or the address.
    request.log.warn({ invitationId: mail.invitationId, sentCount: mail.sentCount, reason: error instanceof Error ? error.name : 'unknown' }, 'invitation mail not sent');
    return false;
  }
}
