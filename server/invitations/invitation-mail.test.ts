import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import type { Notifier } from '../notify/notify.ts';
import type { RequestContext } from '../request-context.ts';
import { acceptUrl, sendInvitationMail, type InvitationMail } from './invitation-mail.ts';
import { mintInvitationToken } from './secrets.ts';

type Sent = { recipient: unknown; category: string; data: Record<string, unknown>; key: string };

function recordingNotifier(fail = false): { notify: Notifier; sent: Sent[] } {
  const sent: Sent[] = [];
  const notify: Notifier = {
    send: (recipient, category, data, key) => {
      if (fail) return Promise.reject(new Error(`SMTP refused ${(data as { acceptUrl: string }).acceptUrl}`));
      sent.push({ recipient, category, data, key });
      return Promise.resolve({ deliveryId: 'd1', sentNow: true });
    },
  };
  return { notify, sent };
}

function request(): { request: RequestContext; logged: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => { chunks.push(chunk); });
  const log = createLogger('info', stream);
  return { request: { requestId: 'req-1', auth: null, log }, logged: () => Buffer.concat(chunks).toString('utf8') };
}

const mail = (overrides: Partial<InvitationMail> = {}): InvitationMail => ({
  invitationId: '6f1c2b9e-3a55-4c1e-9d1f-0b7e8f2a4c11',
  sentCount: 2,
  kind: 'member',
  email: 'ioana@example.test',
  name: 'Ioana',
  locale: 'ro',
  organizationName: 'Kinetic Recuperare',
  inviterName: 'Mihai Ionescu',
  token: mintInvitationToken().token,
  expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000 - 5000),
  ...overrides,
});

describe('invitation mail', () => {
  it('links staff to the Clinic and patients to the Portal, whatever the base URL ends with', () => {
    expect(acceptUrl('https://app.restartix.test/', 'member', 'abc')).toBe('https://app.restartix.test/clinic/invitations/accept?token=abc');
    expect(acceptUrl('https://app.restartix.test', 'patient', 'abc')).toBe('https://app.restartix.test/portal/invitations/accept?token=abc');
  });

  it('goes out once per send, keyed by ids only (never the address or the token), with the clinic as brand', async () => {
    const { notify, sent } = recordingNotifier();
    const invitation = mail();
    expect(await sendInvitationMail({ notify, baseURL: 'https://app.restartix.test' }, request().request, invitation)).toBe(true);
    expect(sent).toEqual([{
      recipient: { email: 'ioana@example.test', locale: 'ro', name: 'Ioana' },
      category: 'member_invitation',
      data: { organizationName: 'Kinetic Recuperare', inviterName: 'Mihai Ionescu', acceptUrl: acceptUrl('https://app.restartix.test', 'member', invitation.token), expiresInDays: 7 },
      key: `invitation:${invitation.invitationId}:2`,
    }]);
    await sendInvitationMail({ notify, baseURL: 'https://app.restartix.test' }, request().request, mail({ kind: 'patient', name: null, inviterName: null }));
    expect(sent[1]).toMatchObject({ recipient: { email: 'ioana@example.test', locale: 'ro' }, category: 'patient_invitation' });
    expect(sent[1]?.data).not.toHaveProperty('inviterName');
  });

  it('reports a failed send as false and logs neither the link nor the address', async () => {
    const { notify } = recordingNotifier(true);
    const { request: req, logged } = request();
    const invitation = mail();
    expect(await sendInvitationMail({ notify, baseURL: 'https://app.restartix.test' }, req, invitation)).toBe(false);
    expect(logged()).toContain('invitation mail not sent');
    expect(logged()).not.toContain(invitation.token);
    expect(logged()).not.toContain(invitation.email);
  });
});
