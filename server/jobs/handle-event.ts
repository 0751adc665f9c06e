import type { Sql } from 'postgres';
import type { Task } from 'graphile-worker';
import { eventKey } from '../events/define-event.ts';
import type { EventSecrets } from '../events/event-secrets.ts';
import { findEvent } from '../events/registry.ts';
import type { Logger } from '../logger.ts';
import type { StoredEvent } from './define-handler.ts';
import { ZHandlePayload } from './dispatch.ts';
import type { Subscriptions } from './subscriptions.ts';

/**
 * What graphile-worker stores as the job's last error and logs: the handler, the error's name and
 * its code. Security: never the message, which can quote a payload value (an address) or a link.
 */
export class HandlerFailedError extends Error {
  override name = 'HandlerFailedError';
}

const nameOf = (error: unknown): string => (error instanceof Error ? error.name : typeof error);
const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : undefined;
};

type EventRow = {
  name: string;
  version: number;
  organization_id: string | null;
  actor_principal_id: string | null;
  request_id: string | null;
  occurred_at: Date;
  payload: unknown;
  secret: string | null;
  identity_secret: string | null;
};

/**
 * Runs one handler for one event, exactly once. In one transaction: lock the event, claim
 * `handled_events (event, handler)`, erase the event's secret if this is the last of its handlers,
 * run the handler. A run that dies anywhere before the commit leaves nothing behind and is run again
 * (after graphile-worker's backoff, or at once when its worker died: server/jobs/liveness.ts); a run
 * that committed and died before graphile-worker marked the job done finds its claim and does nothing.
 */
export function handleEventTask(deps: { sql: Sql; subscriptions: Subscriptions; secrets: EventSecrets; log: Logger }): Task {
  return async (payload, helpers) => {
    const parsed = ZHandlePayload.safeParse(payload);
    if (!parsed.success) throw new HandlerFailedError(`job ${helpers.job.id}: not an outbox.handle payload`);
    const job = parsed.data;
    const log = deps.log.child({ eventId: job.eventId, handler: job.handler, jobId: helpers.job.id, attempt: helpers.job.attempts });
    const handler = deps.subscriptions.handler(job.handler);
    // A job from a newer deployment, or of a handler since removed: retried, then a dead letter.
    if (handler === null) throw new HandlerFailedError(`${job.handler}: no such handler in this process`);
    try {
      await deps.sql.begin(async (tx) => {
        const [row] = await tx<EventRow[]>`
          select name, version, organization_id, actor_principal_id, request_id, occurred_at, payload, secret, identity_secret
          from domain_events where id = ${job.eventId} for update`;
        if (row === undefined) {
          log.info('event no longer exists: nothing to handle');
          return;
        }
        const claimed = await tx`
          insert into handled_events (event_id, handler) values (${job.eventId}, ${handler.name})
          on conflict (event_id, handler) do nothing returning event_id`;
        if (claimed.length === 0) {
          log.info('already handled: nothing to do');
          return;
        }
        const definition = findEvent(row.name, row.version);
        if (definition === null || !handler.events.includes(definition)) {
          throw new HandlerFailedError(`${handler.name} does not handle ${eventKey(row.name, row.version)}`);
        }
        const subscribed = deps.subscriptions.handlersOf(row.name, row.version).map((each) => each.name);
        const sealed = { secret: row.secret, identitySecret: row.identity_secret };
        const hasSecret = sealed.secret !== null || sealed.identitySecret !== null;
        const secret = hasSecret ? await deps.secrets.open({ id: job.eventId, organizationId: row.organization_id }, sealed) : null;
        if (hasSecret) {
          const [handled] = await tx<{ count: number }[]>`
            select count(*)::int as count from handled_events where event_id = ${job.eventId} and handler in ${tx(subscribed)}`;
          // Opened above; erased in this transaction, so a failing handler erases nothing.
          if ((handled?.count ?? 0) >= subscribed.length) await tx`update domain_events set secret = null, identity_secret = null where id = ${job.eventId}`;
        }
        const event: StoredEvent = {
          id: job.eventId,
          name: row.name,
          version: row.version,
          organizationId: row.organization_id,
          actorPrincipalId: row.actor_principal_id,
          requestId: row.request_id,
          occurredAt: row.occurred_at,
          payload: definition.payload.parse(row.payload),
          secret: definition.secret === null ? null : definition.secret.parse(secret),
        };
        await handler.handle({ tx, event, log, attempt: helpers.job.attempts });
      });
    } catch (error) {
      const code = codeOf(error);
      log.warn({ errorName: nameOf(error), code, maxAttempts: helpers.job.max_attempts }, 'event handler failed; it is retried with backoff');
      if (error instanceof HandlerFailedError) throw error;
      throw new HandlerFailedError(`${handler.name}: ${nameOf(error)}${code === undefined ? '' : ` (${code})`}`);
    }
  };
}
