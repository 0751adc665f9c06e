import { EventEmitter } from 'node:events';
import { writeSync } from 'node:fs';
import postgres from 'postgres';
import type { WorkerEvents } from 'graphile-worker';
import { passwordResetRequested } from '../../server/auth/auth-events.ts';
import { authMailHandler } from '../../server/auth/auth-mail.ts';
import { defineHandler, type EventHandler } from '../../server/jobs/define-handler.ts';
import { startJobRunner } from '../../server/jobs/runner.ts';
import { createLogger } from '../../server/logger.ts';
import { createMailTransport } from '../../server/notify/mail-transport.ts';
import { createNotifier } from '../../server/notify/notify.ts';
import { testEventSecrets } from './event-secrets.ts';

/**
 * A job worker in a process of its own, for server/jobs/exactly-once.pg.test.ts to kill with SIGKILL
 * at a chosen moment. It reports on stdout, one line at a time, written synchronously so that a line
 * is out before the process stops to wait:
 *   READY <pool id>                  the runner is taking jobs
 *   EFFECT <event id>                the handler's effect is written, its transaction not committed
 *   COMMITTED <job id>               the handler's transaction committed; graphile-worker has not
 *                                    yet marked the job done (job:success comes before that)
 *   SUCCEEDED <job id>               a job's task returned
 * CHILD_MODE: `hang-in-handler` stops inside the handler's transaction, after the effect;
 * `hang-after-commit` stops after the commit, before the job is marked done; `normal` does neither.
 * CHILD_HANDLER: `effect` inserts a row into test_effects; `mail` is the real identity-mail handler,
 * sending through the development mailbox on MAILBOX_PORT. KEYRING_FILE: the parent's keyring, to open
 * the secrets the parent sealed.
 */

const say = (line: string) => { writeSync(1, `${line}\n`); };
const forever = (): never => {
  // Blocks the whole process, timers and sockets included, until it is killed.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  throw new Error('unreachable');
};

const mode = process.env.CHILD_MODE ?? 'normal';
const databaseUrl = process.env.DATABASE_URL ?? '';
const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

function handlers(): EventHandler[] {
  if (process.env.CHILD_HANDLER === 'mail') {
    const notify = createNotifier({
      sql: postgres(databaseUrl, { max: 2, onnotice: () => undefined }),
      transport: createMailTransport({ devMailboxPort: Number(process.env.MAILBOX_PORT) }),
      from: 'RestartiX <no-reply@restartix.test>',
      log,
    });
    const real = authMailHandler(notify);
    return [{
      ...real,
      async handle(context) {
        await real.handle(context);
        say(`EFFECT ${context.event.id}`);
        if (mode === 'hang-in-handler') forever();
      },
    }];
  }
  return [defineHandler({
    name: 'effect',
    events: [passwordResetRequested],
    async handle({ tx, event }) {
      await tx`insert into test_effects (event_id, handler) values (${event.id}, 'effect')`;
      say(`EFFECT ${event.id}`);
      if (mode === 'hang-in-handler') forever();
    },
  })];
}

const events = new EventEmitter() as WorkerEvents;
events.on('job:success', ({ job }) => {
  if (job.task_identifier !== 'outbox.handle') return;
  if (mode === 'hang-after-commit') {
    say(`COMMITTED ${job.id}`);
    forever();
  }
  say(`SUCCEEDED ${job.id}`);
});

const runner = await startJobRunner({
  databaseUrl,
  handlers: handlers(),
  secrets: testEventSecrets(postgres(databaseUrl, { max: 2, onnotice: () => undefined }), process.env.KEYRING_FILE ?? ''),
  log,
  concurrency: 1,
  pollIntervalMs: 100,
  liveness: { sweepIntervalMs: 200, graceMs: 0 },
  events,
});
say(`READY ${runner.poolId}`);
process.once('SIGTERM', () => { void runner.stop().then(() => process.exit(0)); });
