import type { Sql } from 'postgres';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import type { Subscriptions } from './subscriptions.ts';

/** Enqueued by the database for every event (app_enqueue_domain_event, migration 0014): the same name there. */
export const DISPATCH_TASK = 'outbox.dispatch';
/** One job per event and handler, enqueued by the dispatch job. */
export const HANDLE_TASK = 'outbox.handle';

const ZDispatchPayload = z.object({ eventId: z.uuid() });

export const ZHandlePayload = z.object({
  eventId: z.uuid(),
  handler: z.string().min(1).max(100),
  // For the dead-letter view, which shows no event contents: what kind of event it was.
  event: z.string().min(1).max(100),
  version: z.number().int().min(1),
});
export type HandlePayload = z.infer<typeof ZHandlePayload>;

/**
 * Fans an event out: one `outbox.handle` job per handler that subscribes to its name and version,
 * each with the handler's attempts, so that one failing handler retries (and dead-letters) alone.
 * The jobs and `dispatched_at` commit together, so a dispatch run twice enqueues nothing twice.
 * An event nobody handles loses its secret at once.
 */
export function dispatchTask(deps: { sql: Sql; subscriptions: Subscriptions; log: Logger }): Task {
  return async (payload) => {
    const { eventId } = ZDispatchPayload.parse(payload);
    await deps.sql.begin(async (tx) => {
      const [event] = await tx<{ name: string; version: number; dispatched_at: Date | null }[]>`
        select name, version, dispatched_at from domain_events where id = ${eventId} for update`;
      // Gone with its clinic (on delete cascade), or already fanned out by an earlier run.
      if (event === undefined || event.dispatched_at !== null) return;
      const handlers = deps.subscriptions.handlersOf(event.name, event.version);
      for (const handler of handlers) {
        const job: HandlePayload = { eventId, handler: handler.name, event: event.name, version: event.version };
        await tx`select graphile_worker.add_job(${HANDLE_TASK}, ${tx.json(job)}::json, max_attempts => ${handler.maxAttempts})`;
      }
      await tx`
        update domain_events set dispatched_at = clock_timestamp(),
          secret = case when ${handlers.length}::int = 0 then null else secret end,
          identity_secret = case when ${handlers.length}::int = 0 then null else identity_secret end
        where id = ${eventId}`;
      deps.log.debug({ eventId, event: event.name, version: event.version, handlers: handlers.map((handler) => handler.name) }, 'event dispatched');
    });
  };
}
