import { z } from 'zod';
import { defineEvent } from '../events/define-event.ts';

/**
 * The identity service's mails, as events: better-auth asks for a mail and the outbox sends it.
 * Nobody is signed in when they are asked for (or the identity service acts for itself), so these
 * events have no actor and no clinic. The link carries better-auth's one-time token: a secret.
 */
const ZAddress = z.object({ email: z.email() });
const ZLink = z.object({ url: z.url({ protocol: /^https?$/ }) });

export const emailVerificationRequested = defineEvent({
  name: 'auth.email_verification_requested',
  version: 1,
  payload: ZAddress,
  secret: ZLink,
  description: 'Someone signed up (or asked again) and must confirm their address; the verification mail goes out from it.',
});

export const magicLinkRequested = defineEvent({
  name: 'auth.magic_link_requested',
  version: 1,
  payload: ZAddress,
  secret: ZLink,
  description: 'Someone who may sign in without a second factor asked for a sign-in link by email.',
});

export const passwordResetRequested = defineEvent({
  name: 'auth.password_reset_requested',
  version: 1,
  payload: ZAddress,
  secret: ZLink,
  description: 'Someone asked to reset their password; the reset mail goes out from it.',
});
