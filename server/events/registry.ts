import type { z } from 'zod';
import { emailVerificationRequested, magicLinkRequested, passwordResetRequested } from '../auth/auth-events.ts';
import { patientReminderRequested } from '../consents/reminder-events.ts';
import { dataRequestDecided, dataRequestRequested } from '../data-requests/data-request-events.ts';
import { invitationCreated, invitationResent } from '../invitations/invitation-events.ts';
import { eventKey, type EventDefinition } from './define-event.ts';

/**
 * The closed vocabulary of domain events: every event the platform records, by name and version,
 * with its payload schema. Nothing else can be written to the outbox (server/events/record-event.ts
 * refuses it), so this list is what webhooks and automations can later offer. A new event: define it
 * beside the feature that records it, with `defineEvent`, and add it here.
 */
export const EVENT_DEFINITIONS = [
  invitationCreated,
  invitationResent,
  emailVerificationRequested,
  magicLinkRequested,
  passwordResetRequested,
  patientReminderRequested,
  dataRequestRequested,
  dataRequestDecided,
] as const;

export type RegisteredEvent = (typeof EVENT_DEFINITIONS)[number];

const byKey = new Map<string, EventDefinition>();
for (const definition of EVENT_DEFINITIONS) {
  const key = eventKey(definition.name, definition.version);
  if (byKey.has(key)) throw new Error(`event ${key} is registered twice`);
  byKey.set(key, definition);
}

/** The definition of `name` at `version`, or null when the registry has no such event. */
export function findEvent(name: string, version: number): EventDefinition | null {
  return byKey.get(eventKey(name, version)) ?? null;
}

/** What a writer states: one registered event, its payload (and secret, if the event has one). */
export type EventInput = RegisteredEvent extends infer D
  ? D extends EventDefinition
    ? {
        name: D['name'];
        version: D['version'];
        /** The clinic it happened in; null for events of no clinic (a sign-in mail). */
        organizationId: string | null;
        /** Who acted; null when nobody did (the identity service asking for a mail). */
        actorPrincipalId: string | null;
        requestId: string | null;
        payload: z.input<D['payload']>;
      } & (D['secret'] extends z.ZodType ? { secret: z.input<D['secret']> } : { secret?: never })
    : never
  : never;
