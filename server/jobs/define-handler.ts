import type { TransactionSql } from 'postgres';
import type { EventDefinition, PayloadOf, SecretOf } from '../events/define-event.ts';
import type { Logger } from '../logger.ts';

/** An event as a handler receives it: read from the outbox, its payload parsed by its definition. */
export type StoredEvent<D extends EventDefinition = EventDefinition> = {
  id: string;
  name: D['name'];
  version: D['version'];
  organizationId: string | null;
  actorPrincipalId: string | null;
  requestId: string | null;
  occurredAt: Date;
  payload: PayloadOf<D>;
  secret: SecretOf<D>;
};

export type HandlerContext<D extends EventDefinition = EventDefinition> = {
  /**
   * The handler's transaction, as the job runner's login (restartix_api) with no principal. The
   * record that this handler handled the event is already written in it: the effect and that record
   * commit together or not at all. A tenant write takes the runtime role first (actAs).
   */
  tx: TransactionSql;
  event: D extends EventDefinition ? StoredEvent<D> : never;
  log: Logger;
  /** 1 on the first run; graphile-worker retries with exponential backoff. */
  attempt: number;
};

/**
 * Reacts to events, exactly once per event. Its effect must be in `tx`, or else idempotent by a key
 * built from the event's id (mail: notify.send's idempotency key), because a run that dies after the
 * effect and before the commit is run again.
 */
export type EventHandler = {
  /** Stored in handled_events: renaming a handler makes it handle every event again. */
  name: string;
  events: readonly EventDefinition[];
  maxAttempts: number;
  handle(context: HandlerContext): Promise<void>;
};

const HANDLER_NAME = /^[a-z][a-z0-9_.-]{0,99}$/;

/** Default attempts: graphile-worker backs off exp(min(attempt, 10)) seconds, so 25 tries take about three days. */
export const DEFAULT_MAX_ATTEMPTS = 25;

export function defineHandler<const E extends readonly EventDefinition[]>(spec: {
  name: string;
  events: E;
  maxAttempts?: number;
  handle: (context: HandlerContext<E[number]>) => Promise<void>;
}): EventHandler {
  if (!HANDLER_NAME.test(spec.name)) throw new Error(`handler name ${spec.name} must match ${String(HANDLER_NAME)}`);
  if (spec.events.length === 0) throw new Error(`handler ${spec.name} handles no event`);
  const maxAttempts = spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`handler ${spec.name}: maxAttempts must be a positive integer`);
  // The runner parses each event with its own definition before calling, so the narrower type holds.
  return { name: spec.name, events: spec.events, maxAttempts, handle: spec.handle };
}
