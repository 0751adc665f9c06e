import { startDevMailbox, type DevMailbox } from './dev-mailbox.ts';
import { createMailTransport, type MailTransport } from './mail-transport.ts';

export type Mail = {
  transport: MailTransport;
  /** Null when SMTP_URL is set: then /dev/mailbox is not mounted. */
  devMailbox: DevMailbox | null;
  stop: () => Promise<void>;
};

/** Mail for the stack: through SMTP_URL, or into the development mailbox when it is unset. */
export async function startMail(smtpUrl: string | undefined, log: (line: string) => void = () => undefined): Promise<Mail> {
  if (smtpUrl !== undefined) {
    const transport = createMailTransport({ url: smtpUrl });
    return { transport, devMailbox: null, stop: () => { transport.close(); return Promise.resolve(); } };
  }
  const devMailbox = await startDevMailbox({ log });
  const transport = createMailTransport({ devMailboxPort: devMailbox.port });
  return {
    transport,
    devMailbox,
    stop: async () => {
      transport.close();
      await devMailbox.stop();
    },
  };
}
