import type { z } from 'zod';

/**
 * One kind of domain event, at one version: what happened, in past tense (`invitation.created`), and
 * the zod schema of its payload. A change to a payload that old handlers could not read is a new
 * version, registered beside the old one; handlers name the versions they understand.
 *
 * `secret` is for credentials a handler needs once and nobody may keep (the token in an invitation
 * link): stored apart from the payload, never shown to webhooks or automations, and erased once every
 * handler has handled the event. Everything else goes in `payload`: ids first, and only the personal
 * data the handlers need.
 */
export type EventDefinition<
  N extends string = string,
  V extends number = number,
  P extends z.ZodType = z.ZodType,
  S extends z.ZodType | null = z.ZodType | null,
> = {
  name: N;
  version: V;
  payload: P;
  secret: S;
  /** Why it exists and who reacts: the registry is read by people adding webhooks and automations. */
  description: string;
};

const NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export function defineEvent<const N extends string, const V extends number, P extends z.ZodType, S extends z.ZodType | null = null>(
  definition: { name: N; version: V; payload: P; secret?: S; description: string },
): EventDefinition<N, V, P, S> {
  // The same rules as the table's checks (db/migrations/0014_outbox_and_jobs.sql), at import time.
  if (!NAME.test(definition.name) || definition.name.length > 100) throw new Error(`event name ${definition.name} is not dotted lower_snake_case`);
  if (!Number.isInteger(definition.version) || definition.version < 1 || definition.version > 1000) {
    throw new Error(`event ${definition.name}: version must be an integer from 1`);
  }
  return { ...definition, secret: (definition.secret ?? null) as S };
}

/** The key of one event kind at one version, as handlers subscribe to it. */
export const eventKey = (name: string, version: number): string => `${name}@${String(version)}`;

export type PayloadOf<D extends EventDefinition> = z.output<D['payload']>;
/** null for an event without a secret; unknown when the event is not known statically. */
export type SecretOf<D extends EventDefinition> = [D['secret']] extends [null] ? null : D['secret'] extends z.ZodType ? z.output<D['secret']> : unknown;
