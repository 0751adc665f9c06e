import type { Sql } from 'postgres';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import {
  NOTIFICATION_DATA,
  ZNotificationCategory,
  ZRecipient,
  type NotificationCategory,
  type NotificationData,
  type NotificationInput,
  type Recipient,
} from './categories.ts';
import { claimDelivery, markFailed, markSent } from './deliveries.ts';
import type { MailTransport } from './mail-transport.ts';
import { renderNotification } from './render.ts';

export type SendResult = {
  deliveryId: string;
  /** False when an earlier call with the same idempotency key sent it (or is sending it): nothing went out. */
  sentNow: boolean;
  /**
   * `sending` with `sentNow: false`: another call holds the delivery (or died holding it, and its
   * lease has not run out), so whether the mail went out is not known yet; a job retries later.
   */
  status: 'sent' | 'sending';
};

export type Notifier = {
  /**
   * The one way the platform sends email. Safe to call twice: a repeated `idempotencyKey` sends
   * nothing and answers with the first delivery's id. A transport failure is recorded (`failed`) and
   * thrown as a NotificationDeliveryError; calling again with the same key retries it.
   * `idempotencyKey` is stored as internal data: build it from ids, never from an email address.
   */
  send<C extends NotificationCategory>(recipient: Recipient, category: C, data: NotificationInput[C], idempotencyKey: string): Promise<SendResult>;
};

/**
 * The mail could not be handed to the SMTP server. Deliberately not a DomainError: nothing a client
 * did is wrong: the job that meets it fails and is retried with the same key (server/jobs/).
 */
export class NotificationDeliveryError extends Error {
  override name = 'NotificationDeliveryError';
  readonly deliveryId: string;
  readonly category: NotificationCategory;

  constructor(deliveryId: string, category: NotificationCategory, cause: unknown) {
    super(`notification delivery ${deliveryId} (${category}) failed; retry with the same idempotency key`, { cause });
    this.deliveryId = deliveryId;
    this.category = category;
  }
}

const ZIdempotencyKey = z.string().min(1).max(200);

// Only the message: a database error object also carries the statement's parameters (addresses).
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

export type NotifierDeps = {
  /** The server's login pool (restartix_api): the only role granted the deliveries table. */
  sql: Sql;
  transport: MailTransport;
  /** MAIL_FROM. */
  from: string;
  log: Logger;
};

/**
 * Work after commit goes through the outbox (STYLE.md §5): mail is recorded as a domain event in the
 * transaction that causes it, and a job handler calls `send` (server/jobs/, docs/adr/0015).
 */
export function createNotifier(deps: NotifierDeps): Notifier {
  return {
    async send(recipientInput, categoryInput, dataInput, keyInput) {
      const recipient = ZRecipient.parse(recipientInput);
      const category = ZNotificationCategory.parse(categoryInput) as typeof categoryInput;
      const data = NOTIFICATION_DATA[category].parse(dataInput) as NotificationData[typeof category];
      const idempotencyKey = ZIdempotencyKey.parse(keyInput);
      // Rendered before the claim, so that a template bug never leaves a delivery behind.
      const mail = renderNotification(category, recipient, data);
      const log = deps.log.child({ category });

      const claim = await claimDelivery(deps.sql, { idempotencyKey, category, recipientEmail: recipient.email, locale: recipient.locale });
      if (!claim.claimed) {
        log.info({ deliveryId: claim.id, status: claim.status }, 'repeated idempotency key: nothing sent');
        return { deliveryId: claim.id, sentNow: false, status: claim.status === 'sent' ? 'sent' : 'sending' };
      }

      let providerMessageId: string | null;
      try {
        const info = await deps.transport.sendMail({
          from: deps.from,
          to: recipient.name === undefined ? recipient.email : { name: recipient.name, address: recipient.email },
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          // RFC 3834: automatic mail, so auto-responders stay quiet.
          headers: { 'Auto-Submitted': 'auto-generated', 'X-RestartiX-Category': category },
        });
        providerMessageId = info.messageId;
      } catch (error) {
        await markFailed(deps.sql, claim.id, messageOf(error)).catch((recordError: unknown) => {
          log.error({ deliveryId: claim.id, reason: messageOf(recordError) }, 'could not record a failed notification');
        });
        // Security: the SMTP reply can quote the address, so it is kept in the row, not in the log.
        log.warn({ deliveryId: claim.id, attempt: claim.attempt, code: codeOf(error) }, 'notification delivery failed');
        throw new NotificationDeliveryError(claim.id, category, error);
      }

      // The mail is out: failing to record that must not make the caller send it again.
      await markSent(deps.sql, claim.id, providerMessageId).catch((recordError: unknown) => {
        log.error({ deliveryId: claim.id, reason: messageOf(recordError) }, 'notification sent but not recorded as sent');
      });
      log.info({ deliveryId: claim.id, attempt: claim.attempt }, 'notification sent');
      return { deliveryId: claim.id, sentNow: true, status: 'sent' };
    },
  };
}
