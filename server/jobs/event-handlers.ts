import { authMailHandler } from '../auth/auth-mail.ts';
import { reminderMailHandler } from '../consents/reminder-mail.ts';
import { dataRequestMailHandler } from '../data-requests/data-request-mail.ts';
import { invitationMailHandler } from '../invitations/invitation-mail.ts';
import type { Notifier } from '../notify/notify.ts';
import type { EventHandler } from './define-handler.ts';

export type EventHandlerDeps = {
  /** The one way mail goes out (server/notify/). */
  notify: Notifier;
  /** Where people reach the apps: links in mail are built on it. */
  baseURL: string;
};

/**
 * Every handler of domain events the platform runs. A new one: `defineHandler` beside its feature,
 * subscribed to registered events (server/events/registry.ts), and added here.
 */
export function createEventHandlers(deps: EventHandlerDeps): EventHandler[] {
  return [
    invitationMailHandler(deps),
    authMailHandler(deps.notify),
    reminderMailHandler(deps),
    dataRequestMailHandler(deps),
  ];
}
