import { defineHandler } from '../jobs/define-handler.ts';
import { sendMailOnce } from '../jobs/send-mail-once.ts';
import type { Notifier } from '../notify/notify.ts';
import { patientReminderRequested } from './reminder-events.ts';

/** One reminder is one mail, whatever retries happen: the key is the event's id. */
export const reminderMailKey = (eventId: string): string => `patient-reminder:${eventId}`;

/**
 * Mails a clinic's reminder to its patient, if and only if the ledger holds the patient's consent to
 * the purpose at this moment: a withdrawal takes effect for reminders already queued. The check and
 * the record of a skip are one database call (app_gate_purpose_notification, 0019), in the handler's
 * transaction, so a skip is recorded exactly once, together with the event being handled.
 */
export function reminderMailHandler(deps: { notify: Notifier; baseURL: string }) {
  return defineHandler({
    name: 'patient-reminder-mail',
    events: [patientReminderRequested],
    async handle({ tx, event, log }) {
      const reminder = event.payload;
      if (event.organizationId === null) throw new Error('a reminder belongs to a clinic');
      const [gate] = await tx<{ send: boolean }[]>`
        select app_gate_purpose_notification(${event.id}, ${event.organizationId}, ${reminder.patientId}, ${reminder.principalId}, ${reminder.purpose}) as send`;
      if (gate?.send !== true) {
        log.info({ eventId: event.id, purpose: reminder.purpose }, 'reminder not sent: the patient does not consent to it now; the skip is recorded');
        return;
      }
      await sendMailOnce(deps.notify, { email: reminder.email, locale: reminder.locale, name: reminder.name }, 'patient_reminder', {
        organizationName: reminder.organizationName,
        kind: reminder.kind,
        portalUrl: `${deps.baseURL.replace(/\/+$/, '')}/portal/`,
      }, reminderMailKey(event.id));
    },
  });
}
