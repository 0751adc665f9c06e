import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { HandlerContext } from '../jobs/define-handler.ts';
import { DeliveryInFlightError } from '../jobs/send-mail-once.ts';
import { createLogger } from '../logger.ts';
import type { Notifier, SendResult } from '../notify/notify.ts';
import type { invitationCreated, InvitationSent } from './invitation-events.ts';
import { acceptUrl, invitationMailHandler } from './invitation-mail.ts';
import { mintInvitationToken } from './secrets.ts';

type Sent = { recipient: unknown; category: string; data: Record<string, unknown>; key: string };

function recordingNotifier(answer: Partial<SendResult> | Error = {}): { notify: Notifier; sent: Sent[] } {
  const sent: Sent[] = [];
  const notify: Notifier = {
    send: (recipient, category, data, key) => {
      if (answer instanceof Error) return Promise.reject(answer);
      sent.push({ recipient, category, data, key });
      return Promise.resolve({ deliveryId: 'd1', sentNow: true, status: 'sent', ...answer });
    },
  };
  return { notify, sent };
}

const BASE = 'https://app.restartix.test';

function eventOf(overrides: Partial<InvitationSent> = {}, token = mintInvitationToken().token): HandlerContext<typeof invitationCreated> {
  const payload: InvitationSent = {
    invitationId: '6f1c2b9e-3a55-4c1e-9d1f-0b7e8f2a4c11',
    organizationId: '0b7e8f2a-3a55-4c1e-9d1f-6f1c2b9e4c11',
    sentCount: 2,
    kind: 'member',
    role: 'specialist',
    email: 'ioana@example.test',
    name: 'Ioana',
    locale: 'ro',
    organizationName: 'Kinetic Recuperare',
    inviterName: 'Mihai Ionescu',
    expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000 - 5000).toISOString(),
    ...overrides,
  };
  return {
    // The mail handler writes nothing of its own: notify records the delivery.
    tx: null as never,
    log: createLogger('info', new PassThrough()),
    attempt: 1,
    event: {
      id: '9d1f0b7e-3a55-4c1e-8f2a-6f1c2b9e4c11',
      name: 'invitation.created',
      version: 1,
      organizationId: payload.organizationId,
      actorPrincipalId: null,
      requestId: 'req-1',
      occurredAt: new Date(),
      payload,
      secret: { token },
    },
  };
}

const run = (notify: Notifier, context: HandlerContext<typeof invitationCreated>) =>
  invitationMailHandler({ notify, baseURL: BASE }).handle(context);

describe('invitation mail', () => {
  it('links staff to the Clinic and patients to the Portal, whatever the base URL ends with', () => {
    expect(acceptUrl('https://app.restartix.test/', 'member', 'abc')).toBe('https://app.restartix.test/clinic/invitations/accept?token=abc');
    expect(acceptUrl('https://app.restartix.test', 'patient', 'abc')).toBe('https://app.restartix.test/portal/invitations/accept?token=abc');
  });

  it('goes out once per send, keyed by ids only (never the address or the token), with the clinic as brand', async () => {
    const { notify, sent } = recordingNotifier();
    const context = eventOf();
    await run(notify, context);
    expect(sent).toEqual([{
      recipient: { email: 'ioana@example.test', locale: 'ro', name: 'Ioana' },
      category: 'member_invitation',
      data: { organizationName: 'Kinetic Recuperare', inviterName: 'Mihai Ionescu', acceptUrl: acceptUrl(BASE, 'member', context.event.secret.token), expiresInDays: 7 },
      key: `invitation:${context.event.payload.invitationId}:2`,
    }]);
    await run(notify, eventOf({ kind: 'patient', role: null, name: null, inviterName: null }));
    expect(sent[1]).toMatchObject({ recipient: { email: 'ioana@example.test', locale: 'ro' }, category: 'patient_invitation' });
    expect(sent[1]?.data).not.toHaveProperty('inviterName');
  });

  it('throws a transport failure, so that the job is retried with the same key', async () => {
    const { notify } = recordingNotifier(new Error('SMTP refused'));
    await expect(run(notify, eventOf())).rejects.toThrow('SMTP refused');
  });

  it('throws while another send holds the delivery, and is content when it was already sent', async () => {
    await expect(run(recordingNotifier({ sentNow: false, status: 'sending' }).notify, eventOf())).rejects.toBeInstanceOf(DeliveryInFlightError);
    await expect(run(recordingNotifier({ sentNow: false, status: 'sent' }).notify, eventOf())).resolves.toBeUndefined();
  });

  it('sends nothing for an invitation that expired before its mail could go out', async () => {
    const { notify, sent } = recordingNotifier();
    await run(notify, eventOf({ expiresAt: new Date(Date.now() - 1000).toISOString() }));
    expect(sent).toEqual([]);
  });
});
