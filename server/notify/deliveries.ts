import type { Sql } from 'postgres';
import type { MailLocale, NotificationCategory } from './categories.ts';

/**
 * The `notification_deliveries` table (db/migrations/0003_notification_deliveries.sql), written by
 * the server's own login, outside any principal's transaction. Each function is one statement, so
 * no transaction (and no pooled connection) is held while the SMTP server is talking.
 */

export type DeliveryStatus = 'sending' | 'sent' | 'failed';

export type DeliveryClaim =
  | { claimed: true; id: string; attempt: number }
  | { claimed: false; id: string; status: DeliveryStatus };

/**
 * A sender that died between claiming and recording the outcome leaves `sending` behind; after this
 * long another call may claim it again. That risks one duplicate mail, which beats never sending it.
 */
export const SENDING_LEASE_SECONDS = 300;

const ERROR_LIMIT = 2000;

export class IdempotencyKeyReusedError extends Error {
  override name = 'IdempotencyKeyReusedError';
}

/**
 * Claims the right to send under `idempotencyKey`: a new key, a failed delivery or a stale `sending`
 * one is claimed (atomically: ON CONFLICT locks the row); a sent or in-flight one is not.
 */
export async function claimDelivery(
  sql: Sql,
  spec: { idempotencyKey: string; category: NotificationCategory; recipientEmail: string; locale: MailLocale },
): Promise<DeliveryClaim> {
  const [claimed] = await sql<{ id: string; attempts: number }[]>`
    insert into notification_deliveries (idempotency_key, category, recipient_email, locale, status)
    values (${spec.idempotencyKey}, ${spec.category}, ${spec.recipientEmail}, ${spec.locale}, 'sending')
    on conflict (idempotency_key) do update set status = 'sending', attempts = notification_deliveries.attempts + 1
      where notification_deliveries.category = excluded.category
        and notification_deliveries.recipient_email = excluded.recipient_email
        and (notification_deliveries.status = 'failed'
          or (notification_deliveries.status = 'sending'
            and notification_deliveries.updated_at < clock_timestamp() - make_interval(secs => ${SENDING_LEASE_SECONDS})))
    returning id, attempts`;
  if (claimed !== undefined) return { claimed: true, id: claimed.id, attempt: claimed.attempts };

  const [existing] = await sql<{ id: string; status: DeliveryStatus; category: string; recipient_email: string }[]>`
    select id, status, category, recipient_email from notification_deliveries where idempotency_key = ${spec.idempotencyKey}`;
  if (existing === undefined) throw new Error('a notification delivery vanished while it was being claimed');
  if (existing.category !== spec.category || existing.recipient_email !== spec.recipientEmail) {
    throw new IdempotencyKeyReusedError(`idempotency key of delivery ${existing.id} was reused for another notification`);
  }
  return { claimed: false, id: existing.id, status: existing.status };
}

export async function markSent(sql: Sql, id: string, providerMessageId: string | null): Promise<void> {
  await sql`
    update notification_deliveries
    set status = 'sent', sent_at = clock_timestamp(), provider_message_id = ${providerMessageId}, last_error = null
    where id = ${id}`;
}

export async function markFailed(sql: Sql, id: string, error: string): Promise<void> {
  await sql`
    update notification_deliveries set status = 'failed', last_error = ${error.slice(0, ERROR_LIMIT)}
    where id = ${id}`;
}
