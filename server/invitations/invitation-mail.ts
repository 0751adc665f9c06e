import { defineHandler } from '../jobs/define-handler.ts';
import { sendMailOnce } from '../jobs/send-mail-once.ts';
import type { Notifier } from '../notify/notify.ts';
import { invitationCreated, invitationResent, type InvitationSent } from './invitation-events.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Staff accept in the Clinic app, patients in the Portal. The token travels in the link only. */
export function acceptUrl(baseURL: string, kind: InvitationSent['kind'], token: string): string {
  return `${baseURL.replace(/\/+$/, '')}/${kind === 'member' ? 'clinic' : 'portal'}/invitations/accept?token=${token}`;
}

/** One send of an invitation is one mail, whatever retries happen: the key is made of ids only. */
export const invitationMailKey = (invitation: Pick<InvitationSent, 'invitationId' | 'sentCount'>): string =>
  `invitation:${invitation.invitationId}:${String(invitation.sentCount)}`;

/**
 * Mails an invitation, white-labelled with the clinic's name, from the event recorded in the
 * transaction that created or renewed it. A failure is retried by the job runner with the same
 * idempotency key; the link's token comes from the event's secret and is erased with it.
 */
export function invitationMailHandler(deps: { notify: Notifier; baseURL: string }) {
  return defineHandler({
    name: 'invitation-mail',
    events: [invitationCreated, invitationResent],
    async handle({ event, log }) {
      const invitation = event.payload;
      // Retried for days in vain, say: a link that no longer works is not worth a mail.
      if (Date.parse(invitation.expiresAt) <= Date.now()) {
        log.info('the invitation expired before its mail could go out; not sent');
        return;
      }
      const recipient = { email: invitation.email, locale: invitation.locale, ...(invitation.name === null ? {} : { name: invitation.name }) };
      // Days left when the mail goes out, not when it was asked for.
      const expiresInDays = Math.max(1, Math.round((Date.parse(invitation.expiresAt) - Date.now()) / DAY_MS));
      const url = acceptUrl(deps.baseURL, invitation.kind, event.secret.token);
      const key = invitationMailKey(invitation);
      if (invitation.kind === 'member') {
        await sendMailOnce(deps.notify, recipient, 'member_invitation', {
          organizationName: invitation.organizationName,
          ...(invitation.inviterName === null ? {} : { inviterName: invitation.inviterName }),
          acceptUrl: url,
          expiresInDays,
        }, key);
      } else {
        await sendMailOnce(deps.notify, recipient, 'patient_invitation', { organizationName: invitation.organizationName, acceptUrl: url, expiresInDays }, key);
      }
    },
  });
}
