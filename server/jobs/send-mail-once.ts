import type { NotificationCategory, NotificationInput, Recipient } from '../notify/categories.ts';
import type { Notifier } from '../notify/notify.ts';

/**
 * Another send holds this mail's delivery (or died holding it) and its lease has not run out:
 * whether the mail went out is not known yet, so the job fails and is retried after its backoff,
 * by which time the delivery is sent or can be claimed again.
 */
export class DeliveryInFlightError extends Error {
  override name = 'DeliveryInFlightError';
}

/**
 * Mail from an event handler. notify.send's idempotency key makes a handler run twice (it died after
 * sending, before its transaction committed) send nothing the second time; a transport failure
 * throws, and the job is retried with the same key.
 */
export async function sendMailOnce<C extends NotificationCategory>(
  notify: Notifier,
  recipient: Recipient,
  category: C,
  data: NotificationInput[C],
  idempotencyKey: string,
): Promise<void> {
  const result = await notify.send(recipient, category, data, idempotencyKey);
  if (!result.sentNow && result.status === 'sending') throw new DeliveryInFlightError(`delivery ${result.deliveryId} is in flight`);
}
