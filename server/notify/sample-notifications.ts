import type { NotificationCategory, NotificationInput } from './categories.ts';

/** One valid `data` per category, for the tests (and any future preview page). */
export function sampleNotifications(organizationName: string): { [C in NotificationCategory]: NotificationInput[C] } {
  return {
    member_invitation: {
      organizationName,
      inviterName: 'Ana Popescu',
      acceptUrl: 'https://clinic.restartix.test/invitations/accept?token=abc123',
      expiresInDays: 7,
    },
    patient_invitation: {
      organizationName,
      acceptUrl: 'https://portal.restartix.test/invitations/accept?token=xyz789',
      expiresInDays: 14,
    },
    email_verification: { organizationName, verifyUrl: 'https://clinic.restartix.test/verify?token=def456' },
    password_reset: { organizationName, resetUrl: 'https://clinic.restartix.test/reset?token=ghi789', expiresInMinutes: 30 },
    magic_link: { organizationName, signInUrl: 'https://portal.restartix.test/sign-in?token=jkl012', expiresInMinutes: 15 },
    break_glass_opened: {
      organizationName,
      operatorName: 'Mihai Ionescu',
      reason: 'Tichetul de suport #4521: programări lipsă',
      openedAt: new Date('2026-03-12T12:05:00Z'),
    },
    patient_reminder: { organizationName, kind: 'exercise', portalUrl: 'https://portal.restartix.test/' },
    data_request_received: { organizationName, kind: 'export', queueUrl: 'https://clinic.restartix.test/data-requests' },
    data_request_decided: { organizationName, kind: 'erasure', outcome: 'declined', portalUrl: 'https://portal.restartix.test/data-requests' },
  };
}
