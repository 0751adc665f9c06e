import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startTestStack, type TestStack } from '../../infra/test/test-stack.ts';
import { addMembership, createHuman, createLocation, createOrganization } from '../../seeds/factories.ts';
import { mutators } from '../../sync-rules/mutators.ts';
import { queries } from '../../sync-rules/queries.ts';

/**
 * The limits as the platform mounts them (server/app.ts, infra/stack.ts), with zero-cache: a person
 * over their push budget keeps every write, which lands exactly once when the window has passed.
 */
let stack: TestStack;
let locationId = '';

async function seed(sql: Sql): Promise<void> {
  const org = await createOrganization(sql, { slug: 'alpha', name: 'Alpha' });
  for (const [email, name] of [['writer@alpha.test', 'Writer'], ['reader@alpha.test', 'Reader'], ['other@alpha.test', 'Other']] as const) {
    await addMembership(sql, org, await createHuman(sql, { email, name }), 'admin');
  }
  locationId = await createLocation(sql, org, { slug: 'main', name: 'Main' });
}

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), seed, {
    RATE_LIMIT_REST_PER_PRINCIPAL: '3/600s',
    RATE_LIMIT_MUTATE_PER_PRINCIPAL: '3/600s',
  });
});
afterAll(async () => { await stack.stop(); });

type Envelope = { error?: { code: string; requestId: string; details?: { retryAfterSeconds?: number } } };

async function expectRateLimited(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(600);
  const body = (await response.json()) as Envelope;
  expect(body.error).toMatchObject({ code: 'RATE_LIMITED', requestId: response.headers.get('x-request-id'), details: { retryAfterSeconds: retryAfter } });
}

it('limits each person on the platform’s own routes, with Retry-After', async () => {
  const reader = await stack.login('reader@alpha.test');
  const other = await stack.login('other@alpha.test');
  const get = (token: string) => fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${token}` } });
  for (let i = 0; i < 3; i++) expect((await get(reader.token)).status).toBe(200);
  await expectRateLimited(await get(reader.token));
  expect((await get(other.token)).status).toBe(200);
  // The apps themselves are never counted.
  expect((await fetch(`${stack.origin}/api/health`)).status).toBe(200);
});

it('keeps a write refused for its push budget, and applies it once when the window has passed', { timeout: 90_000 }, async () => {
  const writer = await stack.login('writer@alpha.test');
  const appId = stack.config.ZERO_APP_ID;
  const push = () => fetch(`${stack.origin}/api/zero/mutate?schema=${appId}_0&appID=${appId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': stack.config.ZERO_API_KEY, authorization: `Bearer ${writer.token}` },
    body: JSON.stringify({ clientGroupID: randomUUID(), pushVersion: 1, timestamp: Date.now(), requestID: randomUUID(), mutations: [] }),
  });
  // A script spends the writer's pushes; the next one is refused in the envelope.
  for (let i = 0; i < 3; i++) expect((await push()).status).toBe(200);
  await expectRateLimited(await push());

  // The writer's device, through zero-cache: its push is refused too.
  const zero = stack.zeroAs(writer);
  await zero.run(queries.clinic.locations(), { type: 'complete' });
  const writeId = randomUUID();
  const write = zero.mutate(mutators.location.update({ writeId, id: locationId, name: 'Renamed while limited' }));
  // Zero does not retry a 429: the device stops syncing, with the write still queued.
  await expect.poll(() => zero.connection.state.current.name, { timeout: 30_000 }).toBe('error');
  expect(await write.server).toMatchObject({ type: 'error', error: { type: 'zero' } });
  const nameNow = async () => (await stack.admin<{ name: string }[]>`select name from locations where id = ${locationId}`)[0]?.name;
  expect(await nameNow()).toBe('Main');

  // The window passes; the device reconnects (the apps offer it, and do it on reload) and pushes again.
  await stack.admin`delete from rate_limit_counters where key like 'mutate/%'`;
  await zero.connection.connect();
  await expect.poll(nameNow, { timeout: 30_000 }).toBe('Renamed while limited');
  const [audited] = await stack.admin<{ n: number }[]>`select count(*)::int as n from audit_log where write_id = ${writeId}`;
  expect(audited?.n).toBe(1);
});
