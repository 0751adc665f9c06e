import type { Sql } from 'postgres';
import { parseCronItems, type ParsedCronItem, type TaskList } from 'graphile-worker';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { DISPATCH_TASK, HANDLE_TASK } from './dispatch.ts';

export type RecurringJobContext = {
  /** The job runner's login (restartix_api), no principal. Work that needs more goes through a SECURITY DEFINER function granted to it. */
  sql: Sql;
  log: Logger;
  /** The schedule's time this run is for (UTC, to the minute), not when it started. */
  scheduledFor: Date;
};

/**
 * Maintenance on a schedule (audit partitions ahead, purging soft-deleted rows, erasing old secrets):
 * graphile-worker's cron. Each scheduled time runs once across every worker process (graphile-worker
 * records the last run per job), with retries and backoff like any job, and a dead letter when its
 * attempts run out. A run missed while no worker was up is not caught up: write jobs that do
 * "everything due", not "what was due at this minute".
 */
export type RecurringJob = {
  /** `maintenance.<what>`; also the task's and the schedule's identifier: do not rename. */
  name: string;
  /** Five-field crontab, in UTC: `17 3 * * *` is 03:17 UTC every day. */
  schedule: string;
  maxAttempts: number;
  run(context: RecurringJobContext): Promise<void>;
};

const NAME = /^maintenance\.[a-z][a-z0-9_]{0,60}$/;

export function defineRecurringJob(spec: Omit<RecurringJob, 'maxAttempts'> & { maxAttempts?: number }): RecurringJob {
  if (!NAME.test(spec.name)) throw new Error(`recurring job ${spec.name} must be named maintenance.<lower_snake_case>`);
  const job = { ...spec, maxAttempts: spec.maxAttempts ?? 5 };
  // Fails at import on a malformed schedule, not at the first start of a worker.
  cronItemsOf([job]);
  return job;
}

/** graphile-worker's schedule for `jobs`. */
export function cronItemsOf(jobs: readonly RecurringJob[]): ParsedCronItem[] {
  const names = new Set<string>();
  for (const job of jobs) {
    if (job.name === DISPATCH_TASK || job.name === HANDLE_TASK || names.has(job.name)) throw new Error(`recurring job ${job.name} is defined twice`);
    names.add(job.name);
  }
  return parseCronItems(jobs.map((job) => ({
    task: job.name,
    identifier: job.name,
    match: job.schedule,
    options: { maxAttempts: job.maxAttempts, backfillPeriod: 0 },
  })));
}

const ZCronPayload = z.looseObject({ _cron: z.looseObject({ ts: z.string() }).optional() });

/** The tasks that run them. */
export function recurringTasks(jobs: readonly RecurringJob[], deps: { sql: Sql; log: Logger }): TaskList {
  const tasks: TaskList = {};
  for (const job of jobs) {
    tasks[job.name] = async (payload) => {
      const scheduled = ZCronPayload.parse(payload ?? {})._cron?.ts;
      const log = deps.log.child({ job: job.name });
      await job.run({ sql: deps.sql, log, scheduledFor: scheduled === undefined ? new Date() : new Date(scheduled) });
      log.info('maintenance job done');
    };
  }
  return tasks;
}
