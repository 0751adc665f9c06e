import nodemailer, { type SMTPSentMessageInfo, type SMTPTransportOptions, type Transporter } from 'nodemailer';

/**
 * SMTP through nodemailer: the de-facto Node mail client, maintained, no dependencies of its own, and
 * every provider we would pick (SES, Postmark, Mailgun, a clinic's own server) speaks SMTP. One
 * transport for production and the development mailbox alike, so the dev path is the real path.
 */
export type MailTransport = Transporter<SMTPSentMessageInfo, SMTPTransportOptions>;

/** Where mail goes: the configured `SMTP_URL`, or the development mailbox on a loopback port. */
export type MailTarget = { url: string } | { devMailboxPort: number };

// Fail within seconds rather than nodemailer's minutes: callers wait for the answer to record it.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export function createMailTransport(target: MailTarget): MailTransport {
  if ('url' in target) return nodemailer.createTransport({ url: target.url, ...TIMEOUTS });
  // The development mailbox offers no TLS and no authentication, and only listens on loopback.
  return nodemailer.createTransport({ host: '127.0.0.1', port: target.devMailboxPort, secure: false, ignoreTLS: true, ...TIMEOUTS });
}
