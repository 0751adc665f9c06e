import { eventKey } from '../events/define-event.ts';
import { findEvent } from '../events/registry.ts';
import type { EventHandler } from './define-handler.ts';

/** Which handlers react to which event (by name and version), checked once when the runner starts. */
export type Subscriptions = {
  handlersOf(name: string, version: number): readonly EventHandler[];
  handler(name: string): EventHandler | null;
};

export function subscriptions(handlers: readonly EventHandler[]): Subscriptions {
  const byName = new Map<string, EventHandler>();
  const byEvent = new Map<string, EventHandler[]>();
  for (const handler of handlers) {
    if (byName.has(handler.name)) throw new Error(`two handlers are named ${handler.name}`);
    byName.set(handler.name, handler);
    for (const event of handler.events) {
      // The registry's own definition, not a look-alike: a handler of an unregistered event would never run.
      if (findEvent(event.name, event.version) !== event) throw new Error(`handler ${handler.name} subscribes to ${eventKey(event.name, event.version)}, which is not in the events registry`);
      const key = eventKey(event.name, event.version);
      byEvent.set(key, [...(byEvent.get(key) ?? []), handler]);
    }
  }
  return {
    handlersOf: (name, version) => byEvent.get(eventKey(name, version)) ?? [],
    handler: (name) => byName.get(name) ?? null,
  };
}
