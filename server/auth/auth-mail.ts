import { createHash } from 'node:crypto';
import type { Notifier } from '../notify/notify.ts';

// better-auth's tokens live in the URLs; the idempotency key is their hash, never an address.
const keyOf = (kind: string, url: string): string => `${kind}:${createHash('sha256').update(url).digest('hex')}`;

/** better-auth's three mails, sent through the one notification path (Romanian by default). */
export function authMail(notify: Notifier) {
  return {
    sendVerificationEmail: async (email: string, url: string) => {
      await notify.send({ email, locale: 'ro' }, 'email_verification', { verifyUrl: url }, keyOf('email_verification', url));
    },
    sendMagicLink: async (email: string, url: string) => {
      await notify.send({ email, locale: 'ro' }, 'magic_link', { signInUrl: url, expiresInMinutes: 5 }, keyOf('magic_link', url));
    },
    sendResetPassword: async (email: string, url: string) => {
      await notify.send({ email, locale: 'ro' }, 'password_reset', { resetUrl: url, expiresInMinutes: 60 }, keyOf('password_reset', url));
    },
  };
}
