import { randomUUID } from 'node:crypto';
import { defineMutator, defineMutators, Zero } from '@rocicorp/zero';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestStack, type TestStack } from '../../infra/test/test-stack.ts';
import { addMembership, createHuman, createLocation, createOrganization } from '../../seeds/factories.ts';
import { schema } from '../../sync-rules/schema.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

/**
 * What the Zero mutate path writes to the audit log, through the whole stack (browser-side client,
 * gateway, zero-cache, core API): a change with its redacted before/after and the client's address,
 * and every refusal (denied or failed) in a transaction of its own after Zero rolled back, in the
 * refused person's own clinic, with a code and never an error's text. The client's mutators do
 * nothing locally, as a tampered client's would, so every argument reaches the server.
 */
const noop = defineMutator(() => Promise.resolve());
const tampered = defineMutators({
  location: { create: noop, update: noop, setStatus: noop },
  bogus: { wipe: noop },
});

const ids = {} as Record<'alpha' | 'beta' | 'alphaMain' | 'alphaAdmin' | 'betaAdmin', string>;

async function seed(sql: Sql): Promise<void> {
  ids.alpha = await createOrganization(sql, { slug: 'alpha', name: 'Alpha' });
  ids.beta = await createOrganization(sql, { slug: 'beta', name: 'Beta' });
  ids.alphaAdmin = await createHuman(sql, { email: 'admin@alpha.test', name: 'Admin Alpha' });
  ids.betaAdmin = await createHuman(sql, { email: 'admin@beta.test', name: 'Admin Beta' });
  await addMembership(sql, ids.alpha, ids.alphaAdmin, 'admin');
  await addMembership(sql, ids.alpha, await createHuman(sql, { email: 'staff@alpha.test', name: 'Staff Alpha' }), 'staff');
  await addMembership(sql, ids.beta, ids.betaAdmin, 'admin');
  ids.alphaMain = await createLocation(sql, ids.alpha, { slug: 'main', name: 'Alpha main', city: 'Cluj' });
  await createLocation(sql, ids.alpha, { slug: 'taken', name: 'Taken' });
}

let stack: TestStack;
const clients = new Map<string, Zero>();

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), seed);
});
afterAll(async () => {
  await Promise.all([...clients.values()].map((zero) => zero.close()));
  await stack.stop();
});

async function push(email: string, call: (m: typeof tampered) => ReturnType<typeof tampered.location.update>) {
  let zero = clients.get(email);
  if (zero === undefined) {
    const session = await stack.login(email);
    zero = new Zero({
      cacheURL: `${stack.origin}/zero`, schema, mutators: tampered, userID: session.context.principalId, auth: session.token,
      context: session.context, kvStore: 'mem', logLevel: 'error',
    });
    clients.set(email, zero);
  }
  const result = await zero.mutate(call(tampered)).server;
  return result.type === 'success' ? { ok: true as const } : { ok: false as const, ...result.error };
}

type Row = {
  organization_id: string | null; actor_principal_id: string; action: string; entity_type: string; entity_id: string;
  outcome: string; error_code: string | null; write_id: string | null; ip: string | null; user_agent: string | null;
  request_id: string; changes: Record<string, unknown>; diff: unknown;
};
const rowsFor = (writeId: string) => stack.admin<Row[]>`
  select organization_id, actor_principal_id, action, entity_type, entity_id, outcome, error_code, write_id,
    host(ip_address) as ip, user_agent, request_id, changes, diff
  from audit_log where write_id = ${writeId}`;

/**
 * A refusal's entry is committed right after Zero's own transactions, while zero-cache may already be
 * telling the client: wait for it rather than race it.
 */
async function refusalFor(writeId: string): Promise<Row[]> {
  await expect.poll(async () => (await rowsFor(writeId)).length).toBe(1);
  return rowsFor(writeId);
}

describe('a change made through Zero', () => {
  it('is audited with the actor, the redacted before/after, the request and the browser\'s address', async () => {
    const writeId = randomUUID();
    expect(await push('admin@alpha.test', (m) => m.location.update({ writeId, id: ids.alphaMain, name: 'Alpha centru' } as never))).toEqual({ ok: true });
    const [row, ...more] = await rowsFor(writeId);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      organization_id: ids.alpha, actor_principal_id: ids.alphaAdmin, action: 'location.updated', entity_type: 'location',
      entity_id: ids.alphaMain, outcome: 'success', error_code: null, changes: { id: ids.alphaMain, name: 'Alpha centru' },
    });
    expect(row?.diff).toMatchObject({ before: { name: 'Alpha main' }, after: { name: 'Alpha centru' } });
    expect(Object.keys((row?.diff as { before: object }).before).sort()).toEqual(['name', 'updated_at']);
    // The browser's (here: this test's) socket as the gateway saw it, relayed by zero-cache.
    expect(row?.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    expect(row?.user_agent).toBeTypeOf('string');
    expect(row?.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('a refused mutation', () => {
  it('is audited as denied, in the clinic of the person refused, and changes nothing', async () => {
    const writeId = randomUUID();
    const verdict = await push('staff@alpha.test', (m) => m.location.update({ writeId, id: ids.alphaMain, name: 'Staff edit' } as never));
    expect(verdict).toMatchObject({ ok: false, details: { code: 'FORBIDDEN' } });
    expect(await refusalFor(writeId)).toMatchObject([{
      organization_id: ids.alpha, action: 'location.updated', entity_id: ids.alphaMain, outcome: 'denied', error_code: 'FORBIDDEN',
      changes: { id: ids.alphaMain, name: 'Staff edit' }, diff: null,
    }]);
    expect((await stack.admin`select name from locations where id = ${ids.alphaMain}`)[0]?.name).toBe('Alpha centru');
  });

  it('from another clinic is written to that clinic\'s log, never to the clinic it aimed at', async () => {
    const writeId = randomUUID();
    const verdict = await push('admin@beta.test', (m) => m.location.setStatus({ writeId, id: ids.alphaMain, status: 'closed' } as never));
    expect(verdict).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    expect(await refusalFor(writeId)).toMatchObject([{ organization_id: ids.beta, actor_principal_id: ids.betaAdmin, outcome: 'denied', error_code: 'NOT_FOUND' }]);
    const inAlpha = await stack.admin`select 1 from audit_log where organization_id = ${ids.alpha} and write_id = ${writeId}`;
    expect(inAlpha).toEqual([]);
  });

  it('is audited as failed with its code, never the database\'s text', async () => {
    const invalid = randomUUID();
    expect(await push('admin@alpha.test', (m) => m.location.create({ writeId: invalid, id: randomUUID(), name: '', slug: 'Not A Slug!' } as never)))
      .toMatchObject({ ok: false, details: { code: 'INVALID_INPUT' } });
    const taken = randomUUID();
    expect(await push('admin@alpha.test', (m) => m.location.create({ writeId: taken, id: randomUUID(), name: 'Twin', slug: 'taken' } as never)))
      .toMatchObject({ ok: false, details: { code: 'SLUG_TAKEN' } });
    const rows = [...await refusalFor(invalid), ...await refusalFor(taken)];
    expect(rows.map((row) => [row.action, row.outcome, row.error_code])).toEqual([
      ['location.created', 'failed', 'INVALID_INPUT'],
      ['location.created', 'failed', 'SLUG_TAKEN'],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/violat|duplicate key|constraint|locations_slug_key|PostgresError/i);
  });

  it('names a mutator that does not exist, as someone probing', async () => {
    const writeId = randomUUID();
    expect(await push('admin@alpha.test', (m) => m.bogus.wipe({ writeId, id: randomUUID() } as never))).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    expect(await refusalFor(writeId)).toMatchObject([{ action: 'mutation.unknown', entity_type: 'mutator', entity_id: 'bogus.wipe', outcome: 'denied', error_code: 'NOT_FOUND' }]);
  });

  it('leaves every chain intact: refusals are chained like everything else', async () => {
    const result = await verifyAuditLog(stack.admin);
    expect(result.findings).toEqual([]);
    expect(result.entries).toBeGreaterThanOrEqual(6);
  });
});
