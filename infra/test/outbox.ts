import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from 'postgres';

/**
 * Waits until the outbox has nothing left to do: every domain event dispatched and every outbox job
 * that can still run has run (server/jobs/). Mail is asynchronous now; after this, everything the
 * requests so far caused is in the mailbox, and what is not there was never sent. Polls the queue
 * (as a role that sees it all) until it is idle; fails, naming what is stuck, if it never gets there.
 */
export async function outboxSettled(admin: Sql, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [state] = await admin<{ undispatched: number; pending: number; errors: string[] }[]>`
      -- A running job has already counted its attempt: its last one is still pending while it runs.
      select (select count(*)::int from domain_events where dispatched_at is null) as undispatched,
             count(*)::int as pending,
             coalesce(array_agg(j.last_error) filter (where j.last_error is not null), '{}') as errors
      from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier like 'outbox.%' and (j.attempts < j.max_attempts or j.locked_at is not null)`;
    if (state === undefined || (state.undispatched === 0 && state.pending === 0)) return;
    if (Date.now() > deadline) {
      throw new Error(`the outbox did not settle: ${String(state.undispatched)} events undispatched, ${String(state.pending)} jobs pending (${state.errors.join('; ')})`);
    }
    await sleep(20);
  }
}
