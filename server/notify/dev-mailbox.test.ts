import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailboxPage, linkify } from './dev-mailbox-page.ts';
import { startDevMailbox, type DevMailbox } from './dev-mailbox.ts';
import { createMailTransport, type MailTransport } from './mail-transport.ts';

// No database here: the mailbox is a real SMTP server on loopback, fed by the real transport.
let mailbox: DevMailbox;
let transport: MailTransport;
beforeAll(async () => {
  mailbox = await startDevMailbox({ limit: 2 });
  transport = createMailTransport({ devMailboxPort: mailbox.port });
});
afterAll(async () => {
  transport.close();
  await mailbox.stop();
});

describe('development mailbox', () => {
  it('keeps only the newest messages, newest first', async () => {
    for (const n of [1, 2, 3]) {
      await transport.sendMail({ from: 'a@restartix.test', to: `p${String(n)}@patients.test`, subject: `Mesajul ${String(n)} – ă î ș`, text: 'salut' });
    }
    const messages = mailbox.messages();
    expect(messages.map((mail) => mail.subject)).toEqual(['Mesajul 3 – ă î ș', 'Mesajul 2 – ă î ș']);
    expect(messages[0]).toMatchObject({ to: ['p3@patients.test'], html: null, from: 'a@restartix.test' });
    expect(messages[0]?.text.trim()).toBe('salut');
  });

  it('refuses a message over its size limit', async () => {
    await expect(transport.sendMail({ from: 'a@restartix.test', to: 'big@patients.test', text: 'x'.repeat(3 * 1024 * 1024) }))
      .rejects.toThrow(/552|size/i);
  });
});

describe('mailbox page', () => {
  it('makes links clickable and escapes everything else', () => {
    expect(linkify('Open https://a.test/x?y=1&z=2 now <b>')).toBe(
      'Open <a href="https://a.test/x?y=1&amp;z=2">https://a.test/x?y=1&amp;z=2</a> now &lt;b&gt;');
    const page = mailboxPage([{ id: '1', from: 'x', to: ['<p>@patients.test'], subject: '<script>', text: '', html: null, receivedAt: '2026-03-12T12:05:00.000Z' }]);
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;');
    expect(page).toContain('2026-03-12 12:05:00 UTC');
  });
});
