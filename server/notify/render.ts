import { PLATFORM_BRAND, type NotificationCategory, type NotificationData, type ParsedRecipient } from './categories.ts';
import { breakGlassOpened } from './templates/break-glass-opened.ts';
import { emailVerification } from './templates/email-verification.ts';
import { renderHtml, renderText, type RenderedMail, type Template } from './templates/layout.ts';
import { magicLink } from './templates/magic-link.ts';
import { memberInvitation } from './templates/member-invitation.ts';
import { passwordReset } from './templates/password-reset.ts';
import { patientInvitation } from './templates/patient-invitation.ts';
import { patientReminder } from './templates/patient-reminder.ts';
import { dataRequestDecided, dataRequestReceived } from './templates/data-request.ts';

export type { RenderedMail };

/** Every category's template; a category without one fails `tsc`. */
export const TEMPLATES: { [C in NotificationCategory]: Template<C> } = {
  member_invitation: memberInvitation,
  patient_invitation: patientInvitation,
  email_verification: emailVerification,
  password_reset: passwordReset,
  magic_link: magicLink,
  break_glass_opened: breakGlassOpened,
  patient_reminder: patientReminder,
  data_request_received: dataRequestReceived,
  data_request_decided: dataRequestDecided,
};

/** Subject, plain text and HTML of one mail, in the recipient's language, branded with the clinic. */
export function renderNotification<C extends NotificationCategory>(
  category: C,
  recipient: Pick<ParsedRecipient, 'locale' | 'name'>,
  data: NotificationData[C],
): RenderedMail {
  const template: Template<C> = TEMPLATES[category];
  const brand = data.organizationName ?? PLATFORM_BRAND;
  const content = template[recipient.locale](data, brand);
  const frame = { locale: recipient.locale, brand, recipientName: recipient.name };
  return { subject: content.subject, text: renderText(frame, content), html: renderHtml(frame, content) };
}
