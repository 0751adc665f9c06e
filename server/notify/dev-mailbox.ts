import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message as the development mailbox received it; what /dev/mailbox.json lists. */
export type ReceivedMail = {
  id: string;
  from: string;
  /** The envelope's recipients: who the mail was really sent to. */
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  receivedAt: string;
};

export type DevMailbox = {
  port: number;
  /** Newest first. */
  messages(): ReceivedMail[];
  stop(): Promise<void>;
};

export type DevMailboxOptions = {
  /** How many messages are kept; older ones are dropped. */
  limit?: number;
  log?: (line: string) => void;
};

const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/**
 * The embedded default for mail: an SMTP server on a free loopback port that keeps the last messages
 * in memory, so that `npm start` and the tests send real SMTP and read what arrived. Built on
 * smtp-server (to receive) and mailparser (to decode MIME), both from nodemailer's maintainers;
 * decoding MIME by hand is where such a mailbox would go wrong. Development only: config refuses
 * production without SMTP_URL.
 */
export async function startDevMailbox(options: DevMailboxOptions = {}): Promise<DevMailbox> {
  const limit = options.limit ?? 200;
  const say = options.log ?? (() => undefined);
  const received: ReceivedMail[] = [];
  let sequence = 0;

  const server = new SMTPServer({
    banner: 'RestartiX development mailbox',
    // Plain SMTP on loopback: no TLS (and so no certificate), no authentication.
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    closeTimeout: 1_000,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => { chunks.push(chunk); });
      stream.once('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('message exceeds the mailbox size limit'), { responseCode: 552 }));
          return;
        }
        // Stored before the reply, so a sender that got "250 OK" finds its mail in the list.
        simpleParser(Buffer.concat(chunks)).then((mail) => {
          sequence += 1;
          received.unshift({
            id: String(sequence),
            from: mail.from?.text ?? '',
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : null,
            receivedAt: new Date().toISOString(),
          });
          received.splice(limit);
          callback();
        }, (error: unknown) => { callback(error instanceof Error ? error : new Error(String(error))); });
      });
    },
  });
  // A client that drops its connection is reported here; without a listener it would crash the process.
  server.on('error', (error) => { say(`dev mailbox: ${error.message}`); });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    port,
    messages: () => received.map((mail) => ({ ...mail, to: [...mail.to] })),
    stop: () => new Promise<void>((resolve) => { server.close(() => { resolve(); }); }),
  };
}
