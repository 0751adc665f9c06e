import { randomUUID } from 'node:crypto';
import type { TransactionSql } from 'postgres';
import type { z } from 'zod';
import { eventKey } from './define-event.ts';
import type { EventSecrets, SealedSecret } from './event-secrets.ts';
import { findEvent, type EventInput } from './registry.ts';

/**
 * An event the registry does not know, or whose payload does not match its schema. A programming
 * error, never a client's: it reaches clients as INTERNAL, and the change that caused it rolls back.
 */
export class EventRefusedError extends Error {
  override name = 'EventRefusedError';
}

// Security: paths and codes only; a payload holds personal data and a secret holds a credential.
const describe = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.code}`).join('; ');

type Parser = { safeParse(value: unknown): z.ZodSafeParseResult<unknown> };

/** Parsed, and unchanged by the trip through jsonb, so that handlers read exactly what was checked. */
function storable(schema: Parser, value: unknown, what: string): unknown {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new EventRefusedError(`${what} does not match its schema: ${describe(parsed.error)}`);
  const again = schema.safeParse(JSON.parse(JSON.stringify(parsed.data)));
  if (!again.success) throw new EventRefusedError(`${what} does not survive JSON (a Date? use ISO strings): ${describe(again.error)}`);
  return parsed.data;
}

/**
 * Records a domain event in the caller's transaction, so that it commits (and is dispatched) with
 * the change that caused it, or not at all. The one way to write to the outbox. Inside a request the
 * transaction acts as the principal (actAs): the database admits only events of that principal, in
 * that principal's clinic. An event with a secret needs `secrets`, which encrypts it. Returns the
 * event's id.
 */
export async function recordEvent(tx: TransactionSql, input: EventInput, secrets?: EventSecrets): Promise<string> {
  const definition = findEvent(input.name, input.version);
  if (definition === null) throw new EventRefusedError(`unknown event ${eventKey(input.name, input.version)}`);
  const key = eventKey(definition.name, definition.version);
  const payload = storable(definition.payload, input.payload, `payload of ${key}`);
  const id = randomUUID();
  let sealed: SealedSecret = { secret: null, identitySecret: null };
  if (definition.secret === null) {
    if (input.secret !== undefined) throw new EventRefusedError(`${key} carries no secret`);
  } else {
    const secret = storable(definition.secret, input.secret, `secret of ${key}`);
    if (secrets === undefined) throw new EventRefusedError(`${key} carries a secret: record it with EventSecrets, which encrypts it`);
    sealed = await secrets.seal({ id, organizationId: input.organizationId }, secret);
  }
  await tx`
    insert into domain_events (id, name, version, organization_id, actor_principal_id, request_id, payload, secret, identity_secret)
    values (${id}, ${definition.name}, ${definition.version}, ${input.organizationId}, ${input.actorPrincipalId}, ${input.requestId},
            ${tx.json(payload as never)}, ${sealed.secret}, ${sealed.identitySecret})`;
  return id;
}
