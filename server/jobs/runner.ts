import { EventEmitter } from 'node:events';
import postgres from 'postgres';
import { Logger as GraphileLogger, run, type TaskList, type WorkerEvents } from 'graphile-worker';
import { JOB_QUEUE_SCHEMA } from '../../db/job-queue.ts';
import type { EventSecrets } from '../events/event-secrets.ts';
import type { Logger } from '../logger.ts';
import type { EventHandler } from './define-handler.ts';
import { DISPATCH_TASK, HANDLE_TASK, dispatchTask } from './dispatch.ts';
import { handleEventTask } from './handle-event.ts';
import { createLiveness, DEFAULT_LIVENESS, type LivenessOptions } from './liveness.ts';
import { cronItemsOf, recurringTasks, type RecurringJob } from './recurring.ts';
import { subscriptions } from './subscriptions.ts';

export type JobRunnerOptions = {
  /** The server's login, restartix_api (docs/adr/0015-outbox-and-jobs.md): the queue and the outbox, no principal. */
  databaseUrl: string;
  handlers: readonly EventHandler[];
  /** Opens events' secrets for their handlers. */
  secrets: EventSecrets;
  recurring?: readonly RecurringJob[];
  log: Logger;
  /** Jobs run at once by this process. */
  concurrency?: number;
  /** How often to look for jobs that became due (retries, schedules); new jobs arrive by LISTEN at once. */
  pollIntervalMs?: number;
  liveness?: Partial<LivenessOptions>;
  /** graphile-worker's events (job:start, job:success, …), for observers. */
  events?: WorkerEvents;
};

export type JobRunner = {
  /** graphile-worker's id of this runner's worker pool: what `locked_by` says on its jobs. */
  poolId: string;
  /** Frees the jobs of dead workers now instead of at the next sweep. */
  sweep(): Promise<string[]>;
  /** Lets running jobs finish, then stops. */
  stop(): Promise<void>;
};

// graphile-worker's info lines are one per job; ours say what matters.
const LEVELS = { error: 'error', warning: 'warn', info: 'debug', debug: 'debug' } as const;

function graphileLogger(log: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message) => {
    log[LEVELS[level]]({ graphileWorker: { label: scope.label, taskIdentifier: scope.taskIdentifier, jobId: scope.jobId } }, message);
  });
}

/**
 * The platform's job runner: graphile-worker on the platform's own database (schema graphile_worker),
 * running the outbox (one dispatch job per event, then one job per handler, exactly once) and the
 * recurring maintenance jobs, with graphile-worker's retries and exponential backoff. Several runners
 * (processes) may share a database; each job runs on one of them at a time.
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const concurrency = options.concurrency ?? 2;
  const log = options.log.child({ component: 'jobs' });
  const subscribed = subscriptions(options.handlers);
  const recurring = options.recurring ?? [];
  const cronItems = cronItemsOf(recurring);
  // Handlers' transactions and the liveness sweeps; the liveness lock has a connection of its own.
  const sql = postgres(options.databaseUrl, { max: concurrency + 1, onnotice: () => undefined, connection: { application_name: 'restartix-jobs' } });
  const holder = postgres(options.databaseUrl, { max: 1, max_lifetime: 0, onnotice: () => undefined, connection: { application_name: 'restartix-jobs-liveness' } });
  const liveness = createLiveness(sql, holder, log, { ...DEFAULT_LIVENESS, ...options.liveness });
  const events = options.events ?? (new EventEmitter() as WorkerEvents);
  // Set synchronously while run() builds the pool, before any job can be taken.
  const pool: { id?: string; holding?: Promise<void> } = {};
  const onPool = ({ workerPool }: { workerPool: { id: string } }) => {
    pool.id = workerPool.id;
    pool.holding = liveness.hold(workerPool.id);
    // Rejections are awaited below; this only keeps an early one from counting as unhandled.
    pool.holding.catch(() => undefined);
  };
  events.on('pool:create', onPool);

  const taskList: TaskList = {
    [DISPATCH_TASK]: dispatchTask({ sql, subscriptions: subscribed, log }),
    [HANDLE_TASK]: handleEventTask({ sql, subscriptions: subscribed, secrets: options.secrets, log }),
    ...recurringTasks(recurring, { sql, log }),
  };
  try {
    const runner = await run({
      connectionString: options.databaseUrl,
      schema: JOB_QUEUE_SCHEMA,
      // One per running job, one for LISTEN, one for the schedule.
      maxPoolSize: concurrency + 2,
      concurrency,
      pollInterval: options.pollIntervalMs ?? 2_000,
      noHandleSignals: true,
      logger: graphileLogger(log),
      events,
      taskList,
      parsedCronItems: cronItems,
    });
    events.off('pool:create', onPool);
    const { id, holding } = pool;
    if (id === undefined || holding === undefined) {
      await runner.stop();
      throw new Error('graphile-worker started no worker pool');
    }
    try {
      await holding;
    } catch (error) {
      await runner.stop();
      throw error;
    }
    log.info({ poolId: id, concurrency, recurring: recurring.map((job) => job.name) }, 'job runner started');
    return {
      poolId: id,
      sweep: () => liveness.sweep(),
      async stop() {
        await runner.stop();
        await liveness.stop();
        await sql.end({ timeout: 5 });
      },
    };
  } catch (error) {
    await liveness.stop();
    await sql.end({ timeout: 5 });
    throw error;
  }
}
