import { createHash } from 'node:crypto';
import type { Sql } from 'postgres';
import type { EventSecrets } from '../events/event-secrets.ts';
import { recordEvent } from '../events/record-event.ts';
import { defineHandler } from '../jobs/define-handler.ts';
import { sendMailOnce } from '../jobs/send-mail-once.ts';
import type { Notifier } from '../notify/notify.ts';
import { emailVerificationRequested, magicLinkRequested, passwordResetRequested } from './auth-events.ts';

// better-auth's tokens live in the URLs; the idempotency key is their hash, never an address.
const keyOf = (kind: string, url: string): string => `${kind}:${createHash('sha256').update(url).digest('hex')}`;

/**
 * better-auth's three mails, asked for by better-auth, recorded in the outbox and sent by the job
 * runner. better-auth writes its own token in its own statement before it calls us, so the event is
 * committed in a statement of its own (by the server's login, with no principal: nobody is signed
 * in), before better-auth answers the request. Once that answer is out, the mail cannot be lost.
 */
export function authMail(sql: Sql, secrets: EventSecrets) {
  const record = (name: 'auth.email_verification_requested' | 'auth.magic_link_requested' | 'auth.password_reset_requested', email: string, url: string) =>
    sql.begin(async (tx) => {
      await recordEvent(tx, { name, version: 1, organizationId: null, actorPrincipalId: null, requestId: null, payload: { email }, secret: { url } }, secrets);
    });
  return {
    sendVerificationEmail: async (email: string, url: string) => { await record('auth.email_verification_requested', email, url); },
    sendMagicLink: async (email: string, url: string) => { await record('auth.magic_link_requested', email, url); },
    sendResetPassword: async (email: string, url: string) => { await record('auth.password_reset_requested', email, url); },
  };
}

/** Sends them, in Romanian by default (the person's locale is not known before they sign in). */
export function authMailHandler(notify: Notifier) {
  return defineHandler({
    name: 'auth-mail',
    events: [emailVerificationRequested, magicLinkRequested, passwordResetRequested],
    async handle({ event }) {
      const recipient = { email: event.payload.email, locale: 'ro' as const };
      const { url } = event.secret;
      switch (event.name) {
        case 'auth.email_verification_requested':
          await sendMailOnce(notify, recipient, 'email_verification', { verifyUrl: url }, keyOf('email_verification', url));
          return;
        case 'auth.magic_link_requested':
          await sendMailOnce(notify, recipient, 'magic_link', { signInUrl: url, expiresInMinutes: 5 }, keyOf('magic_link', url));
          return;
        case 'auth.password_reset_requested':
          await sendMailOnce(notify, recipient, 'password_reset', { resetUrl: url, expiresInMinutes: 60 }, keyOf('password_reset', url));
          return;
      }
    },
  });
}
