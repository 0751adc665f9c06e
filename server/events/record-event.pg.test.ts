import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../infra/test/database.ts';
import { temporaryKeyring, testEventSecrets } from '../../infra/test/event-secrets.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import { actAs, stopActing } from '../db-scope.ts';
import type { EventSecrets } from './event-secrets.ts';
import { EventRefusedError, recordEvent } from './record-event.ts';
import type { EventInput } from './registry.ts';

/**
 * The outbox's write side on a real database: an event commits with the change that causes it, or
 * not at all, and always with its dispatch job. From the attacker's side: a request recording as
 * someone else or in another clinic, reading events back, reaching the job queue, the api login
 * inside a request; and a writer with an unknown event or a payload that does not fit.
 */

let db: TestDatabase;
const fx = {} as Fixture;
let adminAlpha: AuthContext;
let secrets: EventSecrets;
const keyring = temporaryKeyring();

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  await seedTwoClinics(db.admin, fx);
  adminAlpha = { principalId: fx.people.adminAlpha, organizationId: fx.alpha, membershipRole: 'admin', platformRole: null };
  secrets = testEventSecrets(db.api, keyring.file);
});
afterAll(async () => {
  await db.close();
  keyring.remove();
});

const INVITATION_ID = '3f0a6c1e-8d2b-4e5f-9a7c-1b2d3e4f5a6b';
const TOKEN = 'Tok3n_of_an-invitation_link_0123456789abcde';

function invitationCreated(auth: AuthContext, overrides: Partial<EventInput> = {}): EventInput {
  return {
    name: 'invitation.created',
    version: 1,
    organizationId: auth.organizationId,
    actorPrincipalId: auth.principalId,
    requestId: 'req-outbox-1',
    payload: {
      invitationId: INVITATION_ID,
      organizationId: auth.organizationId ?? '',
      sentCount: 1,
      kind: 'member',
      role: 'specialist',
      email: 'maria.popescu@example.test',
      name: 'Maria Popescu',
      locale: 'ro',
      organizationName: 'Alpha',
      inviterName: 'admin',
      expiresAt: '2030-01-01T00:00:00.000Z',
    },
    secret: { token: TOKEN },
    ...overrides,
  } as EventInput;
}

async function stored(id: string) {
  const [event] = await db.admin<{ name: string; version: number; organization_id: string | null; actor_principal_id: string | null; payload: unknown; secret: string | null; identity_secret: string | null; dispatched_at: Date | null }[]>`
    select name, version, organization_id, actor_principal_id, payload, secret, identity_secret, dispatched_at from domain_events where id = ${id}`;
  const jobs = await db.admin<{ task: string; payload: unknown }[]>`
    select t.identifier as task, j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
    where j.payload ->> 'eventId' = ${id}`;
  return { event, jobs };
}

const counts = async () => {
  const [row] = await db.admin<{ events: number; jobs: number }[]>`
    select (select count(*)::int from domain_events) as events, (select count(*)::int from graphile_worker._private_jobs) as jobs`;
  return row;
};

/** The error a statement ends with, inside a transaction that is rolled back either way. */
async function refusal(work: (tx: TransactionSql) => Promise<unknown>): Promise<unknown> {
  return db.api.begin(async (tx) => {
    await work(tx);
    throw new Error('no refusal');
  }).catch((error: unknown) => error);
}

describe('recording an event', () => {
  it('writes it in the caller\'s transaction as the acting principal, with its dispatch job', async () => {
    const id = await db.api.begin(async (tx) => {
      await actAs(tx, adminAlpha);
      return recordEvent(tx, invitationCreated(adminAlpha), secrets);
    });
    const { event, jobs } = await stored(id);
    expect(event).toMatchObject({ name: 'invitation.created', version: 1, organization_id: fx.alpha, actor_principal_id: fx.people.adminAlpha, dispatched_at: null });
    expect(event?.payload).toMatchObject({ invitationId: INVITATION_ID, email: 'maria.popescu@example.test' });
    expect(jobs).toEqual([{ task: 'outbox.dispatch', payload: { eventId: id } }]);
    // The token only encrypted, under the clinic's data key, bound to this row.
    expect(event?.secret).toMatch(/^v1\.1\./);
    expect(event?.identity_secret).toBeNull();
    expect(JSON.stringify(event)).not.toContain(TOKEN);
    expect(await secrets.open({ id, organizationId: fx.alpha }, { secret: event?.secret ?? null, identitySecret: null })).toEqual({ token: TOKEN });
  });

  it('refuses an event that carries a secret when nothing is there to encrypt it', async () => {
    const error = await refusal(async (tx) => { await actAs(tx, adminAlpha); await recordEvent(tx, invitationCreated(adminAlpha)); });
    expect(error).toBeInstanceOf(EventRefusedError);
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('leaves neither the event nor its job behind when the transaction rolls back', async () => {
    const before = await counts();
    const thrown = await db.api.begin(async (tx) => {
      await actAs(tx, adminAlpha);
      await recordEvent(tx, invitationCreated(adminAlpha), secrets);
      throw new Error('the change failed after the event was recorded');
    }).catch((error: unknown) => error);
    expect((thrown as Error).message).toBe('the change failed after the event was recorded');
    expect(await counts()).toEqual(before);
  });

  it('records the identity service\'s mails as the api login, with no actor and no clinic, their link under the identity key', async () => {
    const url = 'https://app.example.test/api/auth/reset-password/abc123def456';
    const id = await db.api.begin((tx) => recordEvent(tx, {
      name: 'auth.password_reset_requested', version: 1, organizationId: null, actorPrincipalId: null, requestId: null,
      payload: { email: 'ana@example.test' }, secret: { url },
    }, secrets));
    const { event, jobs } = await stored(id);
    expect(jobs).toHaveLength(1);
    expect(event?.secret).toBeNull();
    expect(event?.identity_secret).toMatch(/^[0-9a-f]{80,}$/);
    expect(JSON.stringify(event)).not.toContain('abc123def456');
    expect(await secrets.open({ id, organizationId: null }, { secret: null, identitySecret: event?.identity_secret ?? null })).toEqual({ url });
  });
});

describe('what the registry refuses, before anything is written', () => {
  it('refuses an unknown name or version', async () => {
    for (const input of [invitationCreated(adminAlpha, { name: 'invitation.deleted' } as never), invitationCreated(adminAlpha, { version: 2 } as never)]) {
      const error = await refusal(async (tx) => { await actAs(tx, adminAlpha); await recordEvent(tx, input); });
      expect(error).toBeInstanceOf(EventRefusedError);
    }
  });

  it('refuses a payload that does not fit, naming the field but never its value', async () => {
    const bad = invitationCreated(adminAlpha);
    const error = await refusal(async (tx) => {
      await actAs(tx, adminAlpha);
      await recordEvent(tx, { ...bad, payload: { ...bad.payload, email: 'not an address: maria.popescu', sentCount: 0 } } as EventInput);
    });
    expect(error).toBeInstanceOf(EventRefusedError);
    expect((error as Error).message).toMatch(/email/);
    expect((error as Error).message).toMatch(/sentCount/);
    expect((error as Error).message).not.toMatch(/maria/);
  });

  it('refuses a missing secret and a secret that does not fit, never quoting it', async () => {
    const good = invitationCreated(adminAlpha);
    const { secret: _secret, ...withoutSecret } = good;
    for (const input of [withoutSecret, { ...good, secret: { token: 'short' } }]) {
      const error = await refusal(async (tx) => { await actAs(tx, adminAlpha); await recordEvent(tx, input as EventInput); });
      expect(error).toBeInstanceOf(EventRefusedError);
      expect((error as Error).message).not.toMatch(/short/);
    }
  });

  it('refuses a payload that would not read back the same from the table (a Date instead of an ISO string)', async () => {
    const good = invitationCreated(adminAlpha);
    const error = await refusal(async (tx) => {
      await actAs(tx, adminAlpha);
      await recordEvent(tx, { ...good, payload: { ...good.payload, expiresAt: new Date() } } as unknown as EventInput);
    });
    expect(error).toBeInstanceOf(EventRefusedError);
  });
});

describe('from the attacker\'s side', () => {
  it('a request cannot record an event as someone else, nor in another clinic', async () => {
    const before = await counts();
    const asSomeoneElse = await refusal(async (tx) => {
      await actAs(tx, adminAlpha);
      await recordEvent(tx, invitationCreated(adminAlpha, { actorPrincipalId: fx.people.ownerAlpha }), secrets);
    });
    expect(asSomeoneElse).toMatchObject({ code: '42501' });
    const inBeta = await refusal(async (tx) => {
      await actAs(tx, adminAlpha);
      await recordEvent(tx, invitationCreated(adminAlpha, { organizationId: fx.beta }), secrets);
    });
    expect(inBeta).toMatchObject({ code: '42501' });
    const anonymous = await refusal(async (tx) => {
      await actAs(tx, adminAlpha);
      await recordEvent(tx, invitationCreated(adminAlpha, { actorPrincipalId: null }), secrets);
    });
    expect(anonymous).toMatchObject({ code: '42501' });
    expect(await counts()).toEqual(before);
  });

  it('a request cannot read events back, change them, or reach the job queue', async () => {
    for (const statement of [
      'select count(*) from domain_events',
      'select count(*) from handled_events',
      "update domain_events set secret = null",
      'select count(*) from graphile_worker._private_jobs',
      "select graphile_worker.add_job('outbox.handle', '{}'::json)",
      'select count(*) from job_dead_letters',
    ]) {
      const error = await refusal(async (tx) => { await actAs(tx, adminAlpha); await tx.unsafe(statement); });
      expect(error, statement).toMatchObject({ code: '42501' });
    }
  });

  it('the api login inside a request (a principal set, its role reset) can neither read nor record events', async () => {
    expect((await counts())?.events).toBeGreaterThan(0);
    // No error, but no rows: the api login's policy admits nothing while a principal is set.
    const rows = await db.api.begin(async (tx) => {
      await actAs(tx, adminAlpha);
      await stopActing(tx);
      return tx`select id from domain_events`;
    });
    expect(rows).toHaveLength(0);
    const recorded = await refusal(async (tx) => {
      await actAs(tx, adminAlpha);
      await stopActing(tx);
      await recordEvent(tx, { ...invitationCreated(adminAlpha), actorPrincipalId: null, organizationId: null }, secrets);
    });
    expect(recorded).toMatchObject({ code: '42501' });
  });

  it('the api login records only events nobody acted in, of no clinic', async () => {
    for (const input of [invitationCreated(adminAlpha), invitationCreated(adminAlpha, { actorPrincipalId: null })]) {
      const error = await refusal((tx) => recordEvent(tx, input, secrets));
      expect(error).toMatchObject({ code: '42501' });
    }
  });
});
