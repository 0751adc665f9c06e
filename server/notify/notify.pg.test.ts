import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROLES } from '../../db/roles.ts';
import { freePort } from '../../infra/free-port.ts';
import { freshDatabase, type TestDatabase } from '../../infra/test/database.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { toDomainError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { MAIL_LOCALES, NOTIFICATION_CATEGORIES } from './categories.ts';
import { IdempotencyKeyReusedError } from './deliveries.ts';
import { startDevMailbox, type DevMailbox } from './dev-mailbox.ts';
import { createMailTransport, type MailTransport } from './mail-transport.ts';
import { createNotifier, NotificationDeliveryError, type Notifier } from './notify.ts';
import { sampleNotifications } from './sample-notifications.ts';

const CLINIC = 'Clinica Sfântul Ștefan';
const FROM = 'RestartiX <no-reply@restartix.test>';
const samples = sampleNotifications(CLINIC);
const log = createLogger('silent');

let db: TestDatabase;
let mailbox: DevMailbox;
let transport: MailTransport;
let notify: Notifier;

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  mailbox = await startDevMailbox();
  transport = createMailTransport({ devMailboxPort: mailbox.port });
  notify = createNotifier({ sql: db.api, transport, from: FROM, log });
});
afterAll(async () => {
  transport.close();
  await mailbox.stop();
  await db.close();
});

type Row = { id: string; category: string; recipient_email: string; locale: string; status: string; attempts: number;
  provider_message_id: string | null; last_error: string | null; sent_at: Date | null };
const deliveries = (key: string) => db.admin<Row[]>`select * from notification_deliveries where idempotency_key = ${key}`;
const recipient = (email: string) => ({ email, locale: 'ro' as const, name: 'Ioana Pop' });

describe('notify.send through the development mailbox', () => {
  for (const category of NOTIFICATION_CATEGORIES) {
    for (const locale of MAIL_LOCALES) {
      it(`sends ${category} in ${locale}, and records it as sent`, async () => {
        const email = `${category}.${locale}@patients.test`;
        const result = await notify.send({ email, locale, name: 'Ioana Pop' }, category, samples[category], `test:${category}:${locale}`);
        expect(result.sentNow).toBe(true);

        const [mail] = mailbox.messages();
        expect(mail?.to).toEqual([email]);
        expect(mail?.from).toContain('no-reply@restartix.test');
        expect(mail?.subject).toContain(CLINIC);
        expect(mail?.text).toContain(CLINIC);
        expect(mail?.html).toContain(CLINIC);
        expect(mail?.text).toContain(locale === 'ro' ? 'Bună ziua, Ioana Pop,' : 'Hello Ioana Pop,');

        const [row] = await deliveries(`test:${category}:${locale}`);
        expect(row).toMatchObject({ id: result.deliveryId, category, recipient_email: email, locale, status: 'sent', attempts: 1, last_error: null });
        expect(row?.sent_at).toBeInstanceOf(Date);
        expect(row?.provider_message_id).toMatch(/^<.+>$/);
      });
    }
  }
});

describe('idempotency', () => {
  it('sends nothing for a repeated key and answers with the first delivery', async () => {
    const first = await notify.send(recipient('again@patients.test'), 'magic_link', samples.magic_link, 'test:repeat');
    const count = mailbox.messages().length;
    const second = await notify.send(recipient('again@patients.test'), 'magic_link', samples.magic_link, 'test:repeat');
    expect(second).toEqual({ deliveryId: first.deliveryId, sentNow: false, status: 'sent' });
    expect(mailbox.messages()).toHaveLength(count);
    expect(await deliveries('test:repeat')).toHaveLength(1);
  });

  it('sends once when the same key is sent twice at the same moment', async () => {
    const count = mailbox.messages().length;
    const results = await Promise.all([1, 2].map(() =>
      notify.send(recipient('race@patients.test'), 'email_verification', samples.email_verification, 'test:race')));
    expect(results.filter((result) => result.sentNow)).toHaveLength(1);
    expect(new Set(results.map((result) => result.deliveryId)).size).toBe(1);
    expect(mailbox.messages()).toHaveLength(count + 1);
  });

  it('refuses a key reused for another recipient, and sends nothing', async () => {
    await notify.send(recipient('first@patients.test'), 'password_reset', samples.password_reset, 'test:reused');
    const count = mailbox.messages().length;
    await expect(notify.send(recipient('second@patients.test'), 'password_reset', samples.password_reset, 'test:reused'))
      .rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(mailbox.messages()).toHaveLength(count);
  });

  it('leaves an in-flight delivery alone, and reclaims it once its lease is over', async () => {
    const key = 'test:stale';
    await db.admin`insert into notification_deliveries (idempotency_key, category, recipient_email, locale, status)
      values (${key}, 'magic_link', 'stale@patients.test', 'ro', 'sending')`;
    const count = mailbox.messages().length;
    expect(await notify.send(recipient('stale@patients.test'), 'magic_link', samples.magic_link, key)).toMatchObject({ sentNow: false, status: 'sending' });
    expect(mailbox.messages()).toHaveLength(count);

    // As if its sender had died ten minutes ago (replica mode skips the trigger that stamps updated_at).
    await db.admin.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`update notification_deliveries set updated_at = now() - interval '10 minutes' where idempotency_key = ${key}`;
    });
    expect((await notify.send(recipient('stale@patients.test'), 'magic_link', samples.magic_link, key)).sentNow).toBe(true);
    expect(mailbox.messages()).toHaveLength(count + 1);
    expect((await deliveries(key))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('a transport failure', () => {
  it('is recorded as failed and thrown as a retryable internal error; a retry with the same key sends it', async () => {
    const closed = createMailTransport({ url: `smtp://127.0.0.1:${String(await freePort())}` });
    const broken = createNotifier({ sql: db.api, transport: closed, from: FROM, log });
    const count = mailbox.messages().length;

    const error: unknown = await broken.send(recipient('failing@patients.test'), 'password_reset', samples.password_reset, 'test:fail')
      .catch((thrown: unknown) => thrown);
    closed.close();
    expect(error).toBeInstanceOf(NotificationDeliveryError);
    expect(error).not.toBeInstanceOf(DomainError);
    expect(toDomainError(error).code).toBe('INTERNAL');
    const [failed] = await deliveries('test:fail');
    expect(failed).toMatchObject({ id: (error as NotificationDeliveryError).deliveryId, status: 'failed', sent_at: null });
    expect(failed?.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect(mailbox.messages()).toHaveLength(count);

    const retried = await notify.send(recipient('failing@patients.test'), 'password_reset', samples.password_reset, 'test:fail');
    expect(retried).toEqual({ deliveryId: (error as NotificationDeliveryError).deliveryId, sentNow: true, status: 'sent' });
    expect((await deliveries('test:fail'))[0]).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(mailbox.messages()).toHaveLength(count + 1);
  });
});

describe('who may touch notification_deliveries', () => {
  it('gives the runtime role nothing: no request, of any tenant, reads or writes it', async () => {
    await expect(db.api.begin(async (tx) => {
      await tx`select set_config('app.principal_id', ${randomUUID()}, true)`;
      await tx.unsafe(`set local role ${ROLES.runtime}`);
      return tx`select id from notification_deliveries`;
    })).rejects.toThrow(/permission denied/);
  });

  it('hides it from the api login inside a principal\'s transaction', async () => {
    const seen = await db.api.begin(async (tx) => {
      await tx`select set_config('app.principal_id', ${randomUUID()}, true)`;
      return tx`select id from notification_deliveries`;
    });
    expect(seen).toEqual([]);
    await expect(db.api.begin(async (tx) => {
      await tx`select set_config('app.principal_id', ${randomUUID()}, true)`;
      await tx`insert into notification_deliveries (idempotency_key, category, recipient_email, locale, status)
        values ('test:forged', 'magic_link', 'x@patients.test', 'en', 'sending')`;
    })).rejects.toThrow(/row-level security/);
  });

  it('lets the api login record outcomes only: no delete, no rewriting who a mail went to', async () => {
    await expect(db.api`delete from notification_deliveries`).rejects.toThrow(/permission denied/);
    await expect(db.api`update notification_deliveries set recipient_email = 'x@attacker.test'`).rejects.toThrow(/permission denied/);
  });

  it('is forced under RLS and never replicated', async () => {
    const [table] = await db.admin`select relrowsecurity, relforcerowsecurity from pg_class where oid = 'notification_deliveries'::regclass`;
    expect(table).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
    expect(await db.admin`select 1 from pg_publication_tables where tablename = 'notification_deliveries'`).toEqual([]);
  });
});
