import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../infra/test/database.ts';
import { temporaryKeyring, testEventSecrets } from '../../infra/test/event-secrets.ts';
import { outboxSettled } from '../../infra/test/outbox.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import { magicLinkRequested, passwordResetRequested } from '../auth/auth-events.ts';
import { actAs } from '../db-scope.ts';
import { invitationCreated } from '../invitations/invitation-events.ts';
import type { EventSecrets } from '../events/event-secrets.ts';
import { recordEvent } from '../events/record-event.ts';
import { createLogger } from '../logger.ts';
import { defineHandler, type EventHandler } from './define-handler.ts';
import { eraseStaleEventSecrets } from './erase-stale-event-secrets.ts';
import { defineRecurringJob, type RecurringJob } from './recurring.ts';
import { startJobRunner, type JobRunner } from './runner.ts';

/**
 * The outbox on a real database with graphile-worker: dispatch to every subscribed handler, exactly
 * once with the handler's own effect, the secret erased after the last handler, retries with
 * exponential backoff, dead letters, the maintenance schedule, and dead workers' jobs freed.
 */

let db: TestDatabase;
const fx = {} as Fixture;
let secrets: EventSecrets;
const keyring = temporaryKeyring();
const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  // What the test handlers do: one row per run that committed.
  await db.admin`create table test_effects (event_id uuid not null, handler text not null, at timestamptz not null default clock_timestamp())`;
  await db.admin`grant select, insert on test_effects to restartix_api`;
  secrets = testEventSecrets(db.api, keyring.file);
  await seedTwoClinics(db.admin, fx);
});
afterAll(async () => {
  await db.close();
  keyring.remove();
});

let sequence = 0;
/** An event as the identity service records it: no actor, no clinic, a link as its secret. */
async function recordReset(email = `person${String(++sequence)}@example.test`): Promise<string> {
  return db.api.begin((tx) => recordEvent(tx, {
    name: 'auth.password_reset_requested', version: 1, organizationId: null, actorPrincipalId: null, requestId: null,
    payload: { email }, secret: { url: `https://app.example.test/reset/${String(sequence)}-${email}` },
  }, secrets));
}

const effectHandler = (name: string, extra: Partial<Parameters<typeof defineHandler>[0]> = {}): EventHandler => defineHandler({
  name,
  events: [passwordResetRequested],
  async handle({ tx, event }) {
    await tx`insert into test_effects (event_id, handler) values (${event.id}, ${name})`;
  },
  ...extra,
});

async function withRunner(handlers: readonly EventHandler[], work: (runner: JobRunner) => Promise<void>, recurring: readonly RecurringJob[] = []): Promise<void> {
  const runner = await startJobRunner({
    databaseUrl: db.urls.api, handlers, secrets, recurring, log, concurrency: 2, pollIntervalMs: 100, liveness: { sweepIntervalMs: 200, graceMs: 0 },
  });
  try {
    await work(runner);
  } finally {
    await runner.stop();
  }
}

const effects = (eventId: string) => db.admin<{ handler: string }[]>`select handler from test_effects where event_id = ${eventId} order by handler`;
const handled = (eventId: string) => db.admin<{ handler: string }[]>`select handler from handled_events where event_id = ${eventId} order by handler`;
// Events of no clinic keep theirs in identity_secret (server/events/event-secrets.ts).
const eventRow = async (eventId: string) => (await db.admin<{ secret: string | null; dispatched_at: Date | null }[]>`
  select coalesce(secret, identity_secret) as secret, dispatched_at from domain_events where id = ${eventId}`)[0];
const jobsOf = (eventId: string) => db.admin<{ id: string; task: string; handler: string | null; attempts: number; max_attempts: number; last_error: string | null; run_at: Date; updated_at: Date; locked_by: string | null }[]>`
  select j.id, t.identifier as task, j.payload ->> 'handler' as handler, j.attempts, j.max_attempts, j.last_error, j.run_at, j.updated_at, j.locked_by
  from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where j.payload ->> 'eventId' = ${eventId}`;

describe('dispatching an event', () => {
  it('runs each subscribed handler once, commits its effect with the record of it, and then erases the secret', async () => {
    await withRunner([effectHandler('first'), effectHandler('second')], async () => {
      const id = await recordReset();
      await outboxSettled(db.admin);
      expect(await effects(id)).toEqual([{ handler: 'first' }, { handler: 'second' }]);
      expect(await handled(id)).toEqual([{ handler: 'first' }, { handler: 'second' }]);
      expect(await eventRow(id)).toMatchObject({ secret: null, dispatched_at: expect.any(Date) as Date });
      expect(await jobsOf(id)).toEqual([]);
    });
  });

  it('hands the handler the payload and the secret, parsed', async () => {
    const seen: unknown[] = [];
    const reader = defineHandler({
      name: 'reader',
      events: [passwordResetRequested, magicLinkRequested],
      handle({ event }) {
        seen.push({ name: event.name, email: event.payload.email, url: event.secret.url, organizationId: event.organizationId });
        return Promise.resolve();
      },
    });
    await withRunner([reader], async () => {
      await recordReset('ana@example.test');
      await outboxSettled(db.admin);
      expect(seen).toEqual([{ name: 'auth.password_reset_requested', email: 'ana@example.test', url: expect.stringContaining('ana@example.test') as string, organizationId: null }]);
    });
  });

  it('dispatches an event nobody handles, and erases its secret at once', async () => {
    await withRunner([defineHandler({ name: 'links-only', events: [magicLinkRequested], handle: () => Promise.resolve() })], async () => {
      const id = await recordReset();
      await outboxSettled(db.admin);
      expect(await eventRow(id)).toMatchObject({ secret: null, dispatched_at: expect.any(Date) as Date });
      expect(await handled(id)).toEqual([]);
    });
  });

  it('delivers what was recorded while no worker ran, once one starts', async () => {
    const id = await recordReset();
    expect(await jobsOf(id)).toMatchObject([{ task: 'outbox.dispatch' }]);
    await withRunner([effectHandler('late')], async () => {
      await outboxSettled(db.admin);
      expect(await effects(id)).toEqual([{ handler: 'late' }]);
    });
  });
});

describe('a failing handler', () => {
  it('leaves no effect and no record when its transaction fails, is retried with exponential backoff, and then succeeds once', async () => {
    let runs = 0;
    const flaky = defineHandler({
      name: 'flaky',
      events: [passwordResetRequested],
      maxAttempts: 5,
      async handle({ tx, event, attempt }) {
        runs += 1;
        await tx`insert into test_effects (event_id, handler) values (${event.id}, 'flaky')`;
        // The effect above is written, then the run fails: it must roll back with it.
        if (attempt < 3) throw new Error(`attempt ${String(attempt)} failed`);
      },
    });
    await withRunner([flaky], async () => {
      const id = await recordReset();
      // After each failure: graphile-worker waits exp(attempts) seconds; we check the wait it chose,
      // then bring the run forward instead of sleeping through it.
      for (const attempts of [1, 2]) {
        await expect.poll(async () => (await jobsOf(id)).find((job) => job.task === 'outbox.handle' && job.locked_by === null)?.attempts, { timeout: 20_000 }).toBe(attempts);
        const [job] = (await jobsOf(id)).filter((each) => each.task === 'outbox.handle');
        const waitSeconds = ((job?.run_at.getTime() ?? 0) - (job?.updated_at.getTime() ?? 0)) / 1000;
        expect(waitSeconds).toBeGreaterThan(Math.exp(attempts) - 1);
        expect(waitSeconds).toBeLessThan(Math.exp(attempts) + 1);
        expect(job?.last_error).toBe('flaky: Error');
        expect(await effects(id)).toEqual([]);
        expect(await handled(id)).toEqual([]);
        await db.admin`update graphile_worker._private_jobs set run_at = now() where id = ${job?.id ?? ''}`;
      }
      await outboxSettled(db.admin);
      expect(runs).toBe(3);
      expect(await effects(id)).toEqual([{ handler: 'flaky' }]);
      expect(await handled(id)).toEqual([{ handler: 'flaky' }]);
    });
  });

  it('becomes a dead letter when its attempts run out: visible with its error (no personal data), the other handlers unaffected, the secret kept', async () => {
    const email = 'dead.letter@example.test';
    const failing = defineHandler({
      name: 'failing',
      events: [passwordResetRequested],
      maxAttempts: 1,
      handle: ({ event }) => Promise.reject(Object.assign(new Error(`could not reach ${event.payload.email}`), { code: 'ECONNREFUSED' })),
    });
    await withRunner([effectHandler('healthy'), failing], async () => {
      const id = await recordReset(email);
      await outboxSettled(db.admin);
      expect(await effects(id)).toEqual([{ handler: 'healthy' }]);
      expect(await handled(id)).toEqual([{ handler: 'healthy' }]);
      // Kept for a retry of the dead letter: the failing handler still needs it.
      expect((await eventRow(id))?.secret).not.toBeNull();
      const [dead] = await db.admin<{ task: string; handler: string; event_name: string; event_version: number; attempts: number; last_error: string }[]>`
        select task, handler, event_name, event_version, attempts, last_error from job_dead_letters where event_id = ${id}`;
      expect(dead).toEqual({ task: 'outbox.handle', handler: 'failing', event_name: 'auth.password_reset_requested', event_version: 1, attempts: 1, last_error: 'failing: Error (ECONNREFUSED)' });
      expect(JSON.stringify(dead)).not.toContain(email);
    });
  });

  it('runs again from a dead letter sent back to the queue, and then only once', async () => {
    let fail = true;
    const recovering = defineHandler({
      name: 'recovering',
      events: [passwordResetRequested],
      maxAttempts: 1,
      async handle({ tx, event }) {
        if (fail) throw new Error('not yet');
        await tx`insert into test_effects (event_id, handler) values (${event.id}, 'recovering')`;
      },
    });
    await withRunner([recovering], async () => {
      const id = await recordReset();
      await outboxSettled(db.admin);
      const [dead] = await db.admin<{ job_id: string }[]>`select job_id from job_dead_letters where event_id = ${id}`;
      fail = false;
      // What app_retry_dead_letter does for a superadmin (the REST route is tested in dead-letters.pg.test.ts).
      await db.admin`select graphile_worker.reschedule_jobs(array[${dead?.job_id ?? ''}::bigint], run_at => now(), attempts => 0)`;
      await outboxSettled(db.admin);
      expect(await effects(id)).toEqual([{ handler: 'recovering' }]);
      expect((await eventRow(id))?.secret).toBeNull();
      expect(await db.admin`select 1 from job_dead_letters where event_id = ${id}`).toHaveLength(0);
    });
  });
});

describe('dead workers', () => {
  it('frees the jobs of a pool that holds no liveness lock, and leaves a live pool\'s jobs alone', async () => {
    // Two events whose dispatch jobs look taken by two pools: one dead, one alive (its lock held here).
    const deadPools = await recordReset();
    const livePools = await recordReset();
    await db.admin`update graphile_worker._private_jobs set locked_by = 'pool-dead', locked_at = now() - interval '1 hour' where payload ->> 'eventId' = ${deadPools}`;
    await db.admin`update graphile_worker._private_jobs set locked_by = 'pool-alive', locked_at = now() - interval '1 hour' where payload ->> 'eventId' = ${livePools}`;
    const alive = await db.admin.reserve();
    try {
      await alive`select pg_advisory_lock(${0x52584a42}, hashtext('pool-alive'))`;
      await withRunner([effectHandler('revived')], async (runner) => {
        await expect.poll(async () => (await effects(deadPools)).length, { timeout: 20_000 }).toBe(1);
        expect(await runner.sweep()).toEqual([]);
        expect(await jobsOf(livePools)).toMatchObject([{ task: 'outbox.dispatch', locked_by: 'pool-alive' }]);
        expect(await effects(livePools)).toEqual([]);

        await alive`select pg_advisory_unlock_all()`;
        await expect.poll(async () => (await effects(livePools)).length, { timeout: 20_000 }).toBe(1);
        await outboxSettled(db.admin);
      });
    } finally {
      alive.release();
    }
  });

  it('takes its own lock again when the connection holding it is lost, so that it never looks dead while it runs', async () => {
    await withRunner([], async (runner) => {
      const holders = () => db.admin<{ pid: number }[]>`
        select pid from pg_locks where locktype = 'advisory' and granted and classid = ${0x52584a42}::oid and objsubid = 2
          and objid::bigint = (hashtext(${runner.poolId})::bigint & 4294967295)`;
      const [first] = await holders();
      expect(first).toBeDefined();
      await db.admin`select pg_terminate_backend(${first?.pid ?? 0})`;
      // Held again, by a new connection.
      await expect.poll(async () => (await holders()).filter((row) => row.pid !== first?.pid).length, { timeout: 20_000 }).toBe(1);
    });
  });
});

describe('secrets, from the attacker\'s side', () => {
  const seen: { eventId: string; secret: unknown }[] = [];
  const reader = defineHandler({
    name: 'secret-reader',
    events: [passwordResetRequested, invitationCreated],
    maxAttempts: 1,
    handle({ event }) {
      seen.push({ eventId: event.id, secret: event.secret });
      return Promise.resolve();
    },
  });
  const deadLetterOf = async (eventId: string) => (await db.admin<{ last_error: string }[]>`
    select last_error from job_dead_letters where event_id = ${eventId}`)[0]?.last_error;

  async function recordInvitation(auth: AuthContext, token: string): Promise<string> {
    return db.api.begin(async (tx) => {
      await actAs(tx, auth);
      return recordEvent(tx, {
        name: 'invitation.created', version: 1, organizationId: auth.organizationId, actorPrincipalId: auth.principalId, requestId: 'req-1',
        payload: {
          invitationId: '3f0a6c1e-8d2b-4e5f-9a7c-1b2d3e4f5a6b', organizationId: auth.organizationId ?? '', sentCount: 1, kind: 'patient', role: null,
          email: 'pacient@example.test', name: null, locale: 'ro', organizationName: 'Clinic', inviterName: null, expiresAt: '2030-01-01T00:00:00.000Z',
        },
        secret: { token },
      }, secrets);
    });
  }

  it('a link moved to another address\'s event does not open there: that event fails, nobody is sent someone else\'s link', async () => {
    const victim = await recordReset('victim@example.test');
    const attacker = await recordReset('attacker@example.test');
    // Someone who can write to the table, but does not hold the identity key.
    await db.admin`update domain_events set identity_secret = (select identity_secret from domain_events where id = ${victim}) where id = ${attacker}`;
    await withRunner([reader], async () => {
      await outboxSettled(db.admin);
    });
    expect(seen.filter((entry) => entry.eventId === attacker)).toEqual([]);
    expect(seen.filter((entry) => entry.eventId === victim)).toEqual([{ eventId: victim, secret: { url: expect.stringContaining('victim@example.test') as string } }]);
    expect(await deadLetterOf(attacker)).toBe('secret-reader: EventSecretError');
  });

  it('an invitation token moved to another clinic\'s event does not decrypt there', async () => {
    const alphaToken = 'a'.repeat(43);
    const alpha = await recordInvitation({ principalId: fx.people.adminAlpha, organizationId: fx.alpha, membershipRole: 'admin', platformRole: null }, alphaToken);
    const beta = await recordInvitation({ principalId: fx.people.adminBeta, organizationId: fx.beta, membershipRole: 'admin', platformRole: null }, 'b'.repeat(43));
    await db.admin`update domain_events set secret = (select secret from domain_events where id = ${alpha}) where id = ${beta}`;
    await withRunner([reader], async () => {
      await outboxSettled(db.admin);
    });
    expect(seen.filter((entry) => entry.eventId === alpha)).toEqual([{ eventId: alpha, secret: { token: alphaToken } }]);
    expect(seen.filter((entry) => entry.eventId === beta)).toEqual([]);
    expect(await deadLetterOf(beta)).toBe('secret-reader: DecryptionError');
  });
});

describe('recurring maintenance', () => {
  it('registers each schedule with graphile-worker and runs the job, with the runner\'s login', async () => {
    const ticks: { scheduledFor: Date; user: string }[] = [];
    const tick = defineRecurringJob({
      name: 'maintenance.test_tick',
      schedule: '*/5 * * * *',
      async run({ sql, scheduledFor }) {
        const [row] = await sql<{ user: string }[]>`select current_user as user`;
        ticks.push({ scheduledFor, user: row?.user ?? '' });
      },
    });
    await withRunner([], async () => {
      await expect.poll(async () => db.admin`select identifier from graphile_worker._private_known_crontabs`, { timeout: 20_000 })
        .toEqual([{ identifier: 'maintenance.test_tick' }]);
      // What the schedule enqueues at its time, enqueued now.
      await db.admin`select graphile_worker.add_job('maintenance.test_tick', json_build_object('_cron', json_build_object('ts', '2030-01-01T03:00:00.000Z')))`;
      await expect.poll(() => ticks, { timeout: 20_000 }).toHaveLength(1);
      expect(ticks[0]).toEqual({ scheduledFor: new Date('2030-01-01T03:00:00.000Z'), user: 'restartix_api' });
    }, [tick]);
  });

  it('erases secrets that stayed longer than any link lives, and no other', async () => {
    const old = await recordReset();
    const recent = await recordReset();
    // Undispatched on purpose: no handler may erase them first.
    await db.admin`delete from graphile_worker._private_jobs where payload ->> 'eventId' in (${old}, ${recent})`;
    await db.admin`update domain_events set occurred_at = now() - interval '91 days' where id = ${old}`;
    await withRunner([], async () => {
      await db.admin`select graphile_worker.add_job(${eraseStaleEventSecrets.name})`;
      await expect.poll(async () => (await eventRow(old))?.secret, { timeout: 20_000 }).toBeNull();
      expect((await eventRow(recent))?.secret).not.toBeNull();
    }, [eraseStaleEventSecrets]);
    await db.admin`delete from domain_events where id in (${old}, ${recent})`;
  });
});
