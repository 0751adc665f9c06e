import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../infra/test/database.ts';
import { temporaryKeyring, testEventSecrets } from '../../infra/test/event-secrets.ts';
import { outboxSettled } from '../../infra/test/outbox.ts';
import type { EventSecrets } from '../events/event-secrets.ts';
import { recordEvent } from '../events/record-event.ts';
import { startDevMailbox, type DevMailbox } from '../notify/dev-mailbox.ts';

/**
 * Issue 4, item 11: an outbox event is handled exactly once although its worker is killed mid-job.
 * Each worker is a process of its own (infra/test/job-worker-child.ts), killed with SIGKILL at a
 * chosen moment: no cleanup runs, its connections just drop. A second worker then finds the job
 * (freed at once by the liveness locks, not after graphile-worker's four hours) and runs it again.
 */

const CHILD = resolve(import.meta.dirname, '../../infra/test/job-worker-child.ts');

let db: TestDatabase;
let mailbox: DevMailbox;
let secrets: EventSecrets;
const keyring = temporaryKeyring();
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  await db.admin`create table test_effects (event_id uuid not null, handler text not null, at timestamptz not null default clock_timestamp())`;
  await db.admin`grant select, insert on test_effects to restartix_api`;
  mailbox = await startDevMailbox();
  secrets = testEventSecrets(db.api, keyring.file);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await mailbox.stop();
  await db.close();
  keyring.remove();
});

type Worker = { lines: string[]; waitFor(prefix: string): Promise<string>; kill(): Promise<void>; stop(): Promise<void> };

/** Starts a worker process and collects what it reports. */
function startWorker(mode: 'normal' | 'hang-in-handler' | 'hang-after-commit', handler: 'effect' | 'mail'): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, DATABASE_URL: db.urls.api, CHILD_MODE: mode, CHILD_HANDLER: handler, MAILBOX_PORT: String(mailbox.port), KEYRING_FILE: keyring.file },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: string[] = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffered += chunk;
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    lines.push(...complete);
  });
  const exited = new Promise<void>((resolveExit) => { child.once('exit', () => { resolveExit(); }); });
  return {
    lines,
    async waitFor(prefix) {
      await expect.poll(() => lines.find((line) => line.startsWith(prefix)), { timeout: 60_000, interval: 20 }).toBeDefined();
      return (lines.find((line) => line.startsWith(prefix)) ?? '').slice(prefix.length + 1);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

let sequence = 0;
async function recordReset(email: string): Promise<string> {
  sequence += 1;
  return db.api.begin((tx) => recordEvent(tx, {
    name: 'auth.password_reset_requested', version: 1, organizationId: null, actorPrincipalId: null, requestId: null,
    payload: { email }, secret: { url: `http://localhost:8080/api/auth/reset-password/token-${String(sequence)}?callbackURL=%2F` },
  }, secrets));
}

const effects = async (eventId: string) => (await db.admin<{ n: number }[]>`select count(*)::int as n from test_effects where event_id = ${eventId}`)[0]?.n;
const handled = async (eventId: string) => (await db.admin<{ n: number }[]>`select count(*)::int as n from handled_events where event_id = ${eventId}`)[0]?.n;
const handleJob = async (eventId: string) => (await db.admin<{ id: string; locked_by: string | null; attempts: number }[]>`
  select j.id, j.locked_by, j.attempts from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
  where t.identifier = 'outbox.handle' and j.payload ->> 'eventId' = ${eventId}`)[0];
const mailsTo = (email: string) => mailbox.messages().filter((mail) => mail.to.includes(email));

describe('a worker killed mid-job', () => {
  it('after its handler committed, before the job was marked done: the job runs again and the effect stays single', async () => {
    const id = await recordReset('committed@example.test');
    const first = startWorker('hang-after-commit', 'effect');
    const firstPool = await first.waitFor('READY');
    const jobId = await first.waitFor('COMMITTED');
    // The effect and its record are in; the queue still holds the job, locked by the first worker.
    expect(await effects(id)).toBe(1);
    expect(await handled(id)).toBe(1);
    expect(await handleJob(id)).toMatchObject({ id: jobId, locked_by: firstPool, attempts: 1 });
    await first.kill();

    const second = startWorker('normal', 'effect');
    // The same job, run again to completion by the second worker...
    expect(await second.waitFor('SUCCEEDED')).toBe(jobId);
    await outboxSettled(db.admin);
    // ...which found the record and did nothing.
    expect(second.lines.filter((line) => line.startsWith('EFFECT'))).toEqual([]);
    expect(await effects(id)).toBe(1);
    expect(await handled(id)).toBe(1);
    expect(await handleJob(id)).toBeUndefined();
    await second.stop();
  });

  it('inside its handler, after the effect and before the commit: nothing of that run remains, and the next run does it once', async () => {
    const id = await recordReset('uncommitted@example.test');
    const first = startWorker('hang-in-handler', 'effect');
    expect(await first.waitFor('EFFECT')).toBe(id);
    await first.kill();
    expect(await effects(id)).toBe(0);
    expect(await handled(id)).toBe(0);

    const second = startWorker('normal', 'effect');
    await second.waitFor('SUCCEEDED');
    await outboxSettled(db.admin);
    expect(await effects(id)).toBe(1);
    expect(await handled(id)).toBe(1);
    await second.stop();
  });
});

describe('mail from a worker killed mid-job', () => {
  it('after the mail went out, before the handler committed: the retry sends nothing twice', async () => {
    const email = 'mail.uncommitted@example.test';
    const id = await recordReset(email);
    const first = startWorker('hang-in-handler', 'mail');
    expect(await first.waitFor('EFFECT')).toBe(id);
    expect(mailsTo(email)).toHaveLength(1);
    await first.kill();
    expect(await handled(id)).toBe(0);

    const second = startWorker('normal', 'mail');
    await second.waitFor('SUCCEEDED');
    await outboxSettled(db.admin);
    expect(mailsTo(email)).toHaveLength(1);
    expect(await handled(id)).toBe(1);
    const deliveries = await db.admin<{ status: string; attempts: number }[]>`
      select status, attempts from notification_deliveries where recipient_email = ${email}`;
    expect(deliveries).toEqual([{ status: 'sent', attempts: 1 }]);
    await second.stop();
  });

  it('after the handler committed, before the job was marked done: one mail, and the link is gone from the outbox', async () => {
    const email = 'mail.committed@example.test';
    const id = await recordReset(email);
    const first = startWorker('hang-after-commit', 'mail');
    await first.waitFor('COMMITTED');
    await first.kill();

    const second = startWorker('normal', 'mail');
    await second.waitFor('SUCCEEDED');
    await outboxSettled(db.admin);
    expect(mailsTo(email)).toHaveLength(1);
    expect(mailsTo(email)[0]?.text).toContain(`token-${String(sequence)}`);
    const [event] = await db.admin<{ identity_secret: string | null }[]>`select identity_secret from domain_events where id = ${id}`;
    expect(event?.identity_secret).toBeNull();
    await second.stop();
  });
});
