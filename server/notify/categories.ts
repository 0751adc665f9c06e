import { z } from 'zod';

/** The languages mail is written in: the same as `humans.locale`. */
export const MAIL_LOCALES = ['ro', 'en'] as const;
export const ZMailLocale = z.enum(MAIL_LOCALES);
export type MailLocale = z.infer<typeof ZMailLocale>;

/** The brand of mail that belongs to no clinic. */
export const PLATFORM_BRAND = 'RestartiX';

// Security: values that reach a header (subject, recipient name) carry no control characters, so no
// line break can smuggle in a header; links are http(s) only, so no `javascript:` lands in an href.
const ZLine = z.string().trim().min(1).max(200).regex(/^\P{Cc}*$/u, 'must not contain control characters');
const ZLink = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const ZRecipient = z.object({
  email: z.email(),
  locale: ZMailLocale,
  name: ZLine.optional(),
});
export type Recipient = z.input<typeof ZRecipient>;
export type ParsedRecipient = z.output<typeof ZRecipient>;

/** The closed vocabulary of mail the platform sends. A new one: add it here, its data and its template. */
export const NOTIFICATION_CATEGORIES = [
  'member_invitation',
  'patient_invitation',
  'email_verification',
  'password_reset',
  'magic_link',
  'break_glass_opened',
  'patient_reminder',
  'data_request_received',
  'data_request_decided',
] as const;
export const ZNotificationCategory = z.enum(NOTIFICATION_CATEGORIES);
export type NotificationCategory = z.infer<typeof ZNotificationCategory>;

/**
 * `organizationName` is the clinic's display name: mail is white-labelled with it. It is absent only
 * for mail that belongs to no clinic (a platform operator's sign-in), which is branded RestartiX.
 */
const clinicOrPlatform = { organizationName: ZLine.optional() };
const clinic = { organizationName: ZLine };

/** What each category's template needs; `notify.send` parses it before anything is recorded. */
export const NOTIFICATION_DATA = {
  member_invitation: z.object({
    ...clinic,
    inviterName: ZLine.optional(),
    acceptUrl: ZLink,
    expiresInDays: z.number().int().min(1).max(90),
  }),
  // A named patient invited to the clinic's patient portal.
  patient_invitation: z.object({
    ...clinic,
    acceptUrl: ZLink,
    expiresInDays: z.number().int().min(1).max(90),
  }),
  email_verification: z.object({ ...clinicOrPlatform, verifyUrl: ZLink }),
  password_reset: z.object({ ...clinicOrPlatform, resetUrl: ZLink, expiresInMinutes: z.number().int().min(1).max(24 * 60) }),
  magic_link: z.object({ ...clinicOrPlatform, signInUrl: ZLink, expiresInMinutes: z.number().int().min(1).max(24 * 60) }),
  // To a clinic's owners when a platform operator opens emergency access to its data.
  break_glass_opened: z.object({
    ...clinic,
    operatorName: ZLine,
    reason: z.string().trim().min(1).max(1000).regex(/^\P{Cc}*$/u, 'must not contain control characters'),
    openedAt: z.date(),
  }),
  // A clinic's reminder to a patient; sent only while the patient's consent to reminders holds (ADR 0020).
  patient_reminder: z.object({ ...clinic, kind: z.enum(['appointment', 'exercise']), portalUrl: ZLink }),
  // Data-subject requests (ADR 0022): to the clinic's deciders when a patient asks, to the patient when decided.
  data_request_received: z.object({ ...clinic, kind: z.enum(['export', 'erasure']), queueUrl: ZLink }),
  data_request_decided: z.object({ ...clinic, kind: z.enum(['export', 'erasure']), outcome: z.enum(['fulfilled', 'declined']), portalUrl: ZLink }),
} as const satisfies Record<NotificationCategory, z.ZodType>;

/** What a caller passes for each category. */
export type NotificationInput = { [C in NotificationCategory]: z.input<(typeof NOTIFICATION_DATA)[C]> };
/** What a template receives: parsed, trimmed. */
export type NotificationData = { [C in NotificationCategory]: z.output<(typeof NOTIFICATION_DATA)[C]> };
