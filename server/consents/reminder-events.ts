import { z } from 'zod';
import { defineEvent } from '../events/define-event.ts';
import { ZMailLocale } from '../notify/categories.ts';

export const REMINDER_KINDS = ['appointment', 'exercise'] as const;
export const ZReminderKind = z.enum(REMINDER_KINDS);

/**
 * A clinic asked for a reminder to its patient. The mail is gated by the patient's consent to
 * `reminders` when it is about to go out, not here (ADR 0020): what the ledger says then decides.
 */
const ZReminderRequested = z.object({
  patientId: z.uuid(),
  /** The person's account; null for a patient without one, who cannot have consented. */
  principalId: z.uuid().nullable(),
  purpose: z.literal('reminders'),
  kind: ZReminderKind,
  email: z.email(),
  locale: ZMailLocale,
  name: z.string().min(1).max(200),
  organizationName: z.string().min(1).max(200),
});

export const patientReminderRequested = defineEvent({
  name: 'patient.reminder_requested',
  version: 1,
  payload: ZReminderRequested,
  description: 'A clinic asked for a reminder (appointment or exercise) to a patient. Mailed only if the patient consents to reminders when it is sent; otherwise the skip is recorded.',
});

export type ReminderRequested = z.output<typeof ZReminderRequested>;
