import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal } from '../../infra/test/database.ts';
import { temporaryKeyring, testEventSecrets } from '../../infra/test/event-secrets.ts';
import { startKoaHarness, type KoaHarness } from '../../infra/test/koa-harness.ts';
import { outboxSettled } from '../../infra/test/outbox.ts';
import { createHuman } from '../../seeds/factories.ts';
import { call, seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import { passwordResetRequested } from '../auth/auth-events.ts';
import { recordEvent } from '../events/record-event.ts';
import { createLogger } from '../logger.ts';
import type { DeadLetterView } from './dead-letters.ts';
import { defineHandler } from './define-handler.ts';
import { jobRoutes } from './router.ts';
import { startJobRunner, type JobRunner } from './runner.ts';

/**
 * The dead-letter view over REST (/api/platform/jobs), for superadmins: listing what used up its
 * attempts, and sending one back to the queue, audited. From the attacker's side: a support
 * engineer, a clinic owner, no token, an unknown or live job, and the database functions called
 * directly as the runtime role with a forged platform role.
 */

const fx = {} as Fixture;
let support = '';
let harness: KoaHarness;
let runner: JobRunner;
const tokens = {} as Record<'root' | 'support' | 'ownerAlpha', string>;
let healthy = false;
const keyring = temporaryKeyring();
const EMAIL = 'uitat.parola@example.test';

beforeAll(async () => {
  harness = await startKoaHarness(inject('pgSuperuserUrl'), async (sql) => {
    await seedTwoClinics(sql, fx);
    support = await createHuman(sql, { email: 'support@platform.test', name: 'Support', platformRole: 'support_engineer' });
  }, (deps) => [jobRoutes(deps)]);
  tokens.root = harness.tokenFor(fx.people.root, null);
  tokens.support = harness.tokenFor(support, null);
  tokens.ownerAlpha = harness.tokenFor(fx.people.ownerAlpha, fx.alpha);
  await harness.db.admin`create table test_effects (event_id uuid not null)`;
  await harness.db.admin`grant insert on test_effects to restartix_api`;
  runner = await startJobRunner({
    databaseUrl: harness.db.urls.api,
    secrets: testEventSecrets(harness.db.api, keyring.file),
    log: createLogger('silent'),
    pollIntervalMs: 100,
    handlers: [defineHandler({
      name: 'unlucky',
      events: [passwordResetRequested],
      maxAttempts: 2,
      async handle({ tx, event }) {
        if (!healthy) throw new Error(`cannot reach ${event.payload.email}`);
        await tx`insert into test_effects (event_id) values (${event.id})`;
      },
    })],
  });
});
afterAll(async () => {
  await runner.stop();
  await harness.stop();
  keyring.remove();
});

async function deadLetter(): Promise<{ eventId: string; jobId: string }> {
  const eventId = await harness.db.api.begin((tx) => recordEvent(tx, {
    name: 'auth.password_reset_requested', version: 1, organizationId: null, actorPrincipalId: null, requestId: null,
    payload: { email: EMAIL }, secret: { url: 'https://app.example.test/reset/abc' },
  }, testEventSecrets(harness.db.api, keyring.file)));
  // The first failure waits e seconds before the second attempt: bring it forward.
  await expect.poll(async () => (await harness.db.admin`
    update graphile_worker._private_jobs set run_at = now()
    where payload ->> 'eventId' = ${eventId} and attempts = 1 and locked_at is null returning id`).length, { timeout: 20_000 }).toBe(1);
  await outboxSettled(harness.db.admin);
  const [row] = await harness.db.admin<{ job_id: string }[]>`select job_id from job_dead_letters where event_id = ${eventId}`;
  if (row === undefined) throw new Error('no dead letter');
  return { eventId, jobId: String(row.job_id) };
}

const list = (token: string | null) => call(harness, 'GET', '/api/platform/jobs/dead-letters', token);
const retry = (token: string | null, jobId: string) => call(harness, 'POST', `/api/platform/jobs/dead-letters/${jobId}/retry`, token);
const refusal = (reply: Awaited<ReturnType<typeof list>>) => ({ status: reply.status, code: reply.body.error?.code });
const auditsOf = async (jobId: string) => harness.db.admin<{ actor_principal_id: string; organization_id: string | null; changes: Record<string, unknown> }[]>`
  select actor_principal_id, organization_id, changes from audit_log where action = 'job.retried' and entity_id = ${jobId}`;

describe('a superadmin', () => {
  it('lists the dead letters: ids, handler, kind of event, attempts and the error\'s name, never the event\'s contents', async () => {
    const { eventId, jobId } = await deadLetter();
    const reply = await list(tokens.root);
    expect(reply.status).toBe(200);
    const letters = reply.body.deadLetters as DeadLetterView[];
    expect(letters.find((letter) => letter.jobId === jobId)).toMatchObject({
      task: 'outbox.handle', eventId, eventName: 'auth.password_reset_requested', eventVersion: 1, handler: 'unlucky',
      attempts: 2, maxAttempts: 2, lastError: 'unlucky: Error',
    });
    expect(JSON.stringify(reply.body)).not.toContain(EMAIL);
    expect(JSON.stringify(reply.body)).not.toContain('reset/abc');
  });

  it('sends one back to the queue: it runs again at once, once, and the retry is audited', async () => {
    const { eventId, jobId } = await deadLetter();
    healthy = true;
    try {
      const reply = await retry(tokens.root, jobId);
      expect(reply.status, JSON.stringify(reply.body)).toBe(202);
      await outboxSettled(harness.db.admin);
    } finally {
      healthy = false;
    }
    expect(await harness.db.admin`select 1 from test_effects where event_id = ${eventId}`).toHaveLength(1);
    expect(await harness.db.admin`select 1 from job_dead_letters where job_id = ${jobId}`).toHaveLength(0);
    expect(await auditsOf(jobId)).toEqual([{
      actor_principal_id: fx.people.root, organization_id: null,
      changes: { task: 'outbox.handle', handler: 'unlucky', eventId, event: 'auth.password_reset_requested', attempts: 2 },
    }]);
    // Done, so no longer a dead letter: a second retry finds nothing.
    expect(refusal(await retry(tokens.root, jobId))).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('is told NOT_FOUND for a job that does not exist, and INVALID_INPUT for what is not a job id', async () => {
    expect(refusal(await retry(tokens.root, '999999999'))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(refusal(await retry(tokens.root, 'abc'))).toEqual({ status: 400, code: 'INVALID_INPUT' });
  });
});

describe('from the attacker\'s side', () => {
  it('a support engineer, a clinic owner and a caller without a token neither list nor retry, and nothing changes', async () => {
    const { jobId } = await deadLetter();
    for (const [token, expected] of [[tokens.support, { status: 403, code: 'FORBIDDEN' }], [tokens.ownerAlpha, { status: 403, code: 'FORBIDDEN' }], [null, { status: 401, code: 'UNAUTHENTICATED' }]] as const) {
      expect(refusal(await list(token))).toEqual(expected);
      expect(refusal(await retry(token, jobId))).toEqual(expected);
    }
    expect(await harness.db.admin`select 1 from job_dead_letters where job_id = ${jobId}`).toHaveLength(1);
    expect(await auditsOf(jobId)).toEqual([]);
  });

  it('the database functions refuse a forged superadmin context, whoever calls them as the runtime role', async () => {
    const { jobId } = await deadLetter();
    for (const principalId of [fx.people.ownerAlpha, support]) {
      const forged = { principalId, organizationId: null, membershipRole: null, platformRole: 'superadmin' as const };
      for (const statement of ['select * from app_job_dead_letters()', `select app_retry_dead_letter(${jobId})`]) {
        const error = await asPrincipal(harness.db.api, forged, (tx) => tx.unsafe(statement)).catch((thrown: unknown) => thrown);
        expect(error, statement).toMatchObject({ code: '42501' });
      }
    }
    expect(await harness.db.admin`select 1 from job_dead_letters where job_id = ${jobId}`).toHaveLength(1);
  });
});
