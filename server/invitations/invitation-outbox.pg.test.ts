import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { temporaryKeyring, testEventSecrets } from '../../infra/test/event-secrets.ts';
import { startKoaHarness, type KoaHarness } from '../../infra/test/koa-harness.ts';
import { outboxSettled } from '../../infra/test/outbox.ts';
import { call, seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import type { EventSecrets } from '../events/event-secrets.ts';
import { createEventHandlers } from '../jobs/event-handlers.ts';
import { startJobRunner } from '../jobs/runner.ts';
import { createLogger } from '../logger.ts';
import { startDevMailbox, type DevMailbox } from '../notify/dev-mailbox.ts';
import { createMailTransport } from '../notify/mail-transport.ts';
import { createNotifier } from '../notify/notify.ts';
import type { InvitationView } from './invitations.ts';
import { invitationRoutes } from './router.ts';
import { hashInvitationToken } from './secrets.ts';

/**
 * Invitation mail through the outbox: the mail's event commits with the invitation (or not at all),
 * a mail asked for while no worker runs goes out once one does, exactly once, and the link's token
 * is in the database only encrypted, and only until the mail is out.
 */

const fx = {} as Fixture;
let harness: KoaHarness;
let mailbox: DevMailbox;
let secrets: EventSecrets;
const keyring = temporaryKeyring();
const BASE_URL = 'https://clinic.example.test';
const log = createLogger('silent');
let admin = '';

beforeAll(async () => {
  harness = await startKoaHarness(inject('pgSuperuserUrl'), (sql) => seedTwoClinics(sql, fx), (deps) => {
    secrets = testEventSecrets(deps.sql, keyring.file);
    return [invitationRoutes({ ...deps, baseURL: BASE_URL, eventSecrets: secrets, verifiedEmailOf: () => Promise.resolve(null) })];
  });
  admin = harness.tokenFor(fx.people.adminAlpha, fx.alpha);
  mailbox = await startDevMailbox();
});
afterAll(async () => {
  await mailbox.stop();
  await harness.stop();
  keyring.remove();
});

/** The job runner as the stack starts it: the platform's handlers, mail to the development mailbox. */
async function withWorker(work: () => Promise<void>): Promise<void> {
  const notify = createNotifier({ sql: harness.db.api, transport: createMailTransport({ devMailboxPort: mailbox.port }), from: 'RestartiX <no-reply@restartix.test>', log });
  const runner = await startJobRunner({ databaseUrl: harness.db.urls.api, handlers: createEventHandlers({ notify, baseURL: BASE_URL }), secrets, log, pollIntervalMs: 100 });
  try {
    await work();
  } finally {
    await runner.stop();
  }
}

const invite = (email: string) => call(harness, 'POST', '/api/v1/invitations', admin, { kind: 'member', email, role: 'specialist', name: 'Dana Radu' });
const mailsTo = (email: string) => mailbox.messages().filter((mail) => mail.to.includes(email));
const eventsOf = (invitationId: string) => harness.db.admin<{ name: string; secret: string | null; dispatched_at: Date | null }[]>`
  select name, secret, dispatched_at from domain_events where payload ->> 'invitationId' = ${invitationId} order by occurred_at`;

describe('an invitation\'s mail', () => {
  it('is recorded with the invitation, waits for a worker, goes out once, and leaves no token behind', async () => {
    const email = 'dana.radu@example.test';
    const created = await invite(email);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id } = created.body.invitation as InvitationView;
    // Committed with the invitation, no worker running: nothing sent yet, nothing lost.
    expect(await eventsOf(id)).toMatchObject([{ name: 'invitation.created', dispatched_at: null }]);
    expect((await eventsOf(id))[0]?.secret).toMatch(/^v1\./);
    expect(mailsTo(email)).toEqual([]);

    await withWorker(async () => {
      await outboxSettled(harness.db.admin);
    });
    const [mail] = mailsTo(email);
    expect(mailsTo(email)).toHaveLength(1);
    expect(mail?.subject).toContain('Alpha');
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1] ?? '';
    // The link works: its hash is the invitation's live token.
    const [live] = await harness.db.admin<{ invitation_id: string }[]>`
      select invitation_id from invitation_tokens where token_hash = ${hashInvitationToken(token)} and superseded_at is null`;
    expect(live?.invitation_id).toBe(id);
    // Sent: the encrypted token is gone too, and nothing in the outbox holds it in the clear.
    expect(await eventsOf(id)).toMatchObject([{ secret: null, dispatched_at: expect.any(Date) as Date }]);
    const [everything] = await harness.db.admin<{ text: string }[]>`
      select coalesce(string_agg(row_to_json(e)::text, ''), '') || coalesce((select string_agg(payload::text, '') from graphile_worker._private_jobs), '') as text
      from domain_events e`;
    expect(everything?.text).not.toContain(token);

    // A resend is a new mail, with a new link.
    expect((await call(harness, 'POST', `/api/v1/invitations/${id}/resend`, admin, {})).status).toBe(200);
    await withWorker(async () => {
      await outboxSettled(harness.db.admin);
    });
    expect(mailsTo(email)).toHaveLength(2);
    expect(mailsTo(email)[0]?.text).not.toContain(token);
  });

  it('is not recorded when the invitation is refused', async () => {
    const email = 'dublura@example.test';
    expect((await invite(email)).status).toBe(201);
    const [before] = await harness.db.admin<{ n: number }[]>`select count(*)::int as n from domain_events`;
    const again = await invite(email);
    expect(again.body.error?.code).toBe('INVITATION_PENDING');
    const [after] = await harness.db.admin<{ n: number }[]>`select count(*)::int as n from domain_events`;
    expect(after?.n).toBe(before?.n);
    await withWorker(async () => {
      await outboxSettled(harness.db.admin);
    });
    expect(mailsTo(email)).toHaveLength(1);
  });
});
