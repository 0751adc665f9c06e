import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startTestStack, type TestStack } from '../infra/test/test-stack.ts';
import { addMembership, createHuman, createLocation, createOrganization } from '../seeds/factories.ts';
import { mutators } from '../sync-rules/mutators.ts';
import { queries } from '../sync-rules/queries.ts';

/** Membership and role changes reach devices: rows leave within 30 s, permissions bite at once. */
let stack: TestStack;
let locationId = '';

async function seed(sql: Sql): Promise<void> {
  const org = await createOrganization(sql, { slug: 'alpha', name: 'Alpha' });
  await addMembership(sql, org, await createHuman(sql, { email: 'leaving@alpha.test', name: 'Leaving' }), 'staff');
  await addMembership(sql, org, await createHuman(sql, { email: 'admin@alpha.test', name: 'Admin' }), 'admin');
  locationId = await createLocation(sql, org, { slug: 'main', name: 'Main' });
  await createLocation(sql, org, { slug: 'annex', name: 'Annex' });
}

beforeAll(async () => { stack = await startTestStack(inject('pgSuperuserUrl'), seed); });
afterAll(async () => { await stack.stop(); });

it("takes a removed member's clinic rows off their open device within 30 seconds", { timeout: 90_000 }, async () => {
  const session = await stack.login('leaving@alpha.test');
  const zero = stack.zeroAs(session);
  const view = zero.materialize(queries.clinic.locations());
  const counts: number[] = [];
  let latest = -1;
  view.addListener((rows) => { latest = rows.length; counts.push(latest); });
  await expect.poll(() => latest, { timeout: 20_000 }).toBe(2);

  await stack.admin`delete from memberships where principal_id = ${session.context.principalId}`;
  const removedAt = Date.now();
  await expect.poll(() => latest, { timeout: 30_000, interval: 250 }).toBe(0);
  expect(Date.now() - removedAt).toBeLessThanOrEqual(30_000);
  // Nothing of the clinic stays in the client's store either.
  expect(await zero.run(queries.clinic.location(locationId), { type: 'unknown' })).toBeUndefined();
  view.destroy();
});

it('enforces a downgraded role on the very next mutation', async () => {
  const session = await stack.login('admin@alpha.test');
  const zero = stack.zeroAs(session);
  await zero.run(queries.clinic.locations(), { type: 'complete' });
  const first = await zero.mutate(mutators.location.update({ writeId: randomUUID(), id: locationId, name: 'Main (admin)' })).server;
  expect(first.type).toBe('success');

  await stack.admin`update memberships set role = 'staff' where principal_id = ${session.context.principalId}`;
  // The device still believes it is an admin: its optimistic run passes, the server refuses.
  const second = await zero.mutate(mutators.location.update({ writeId: randomUUID(), id: locationId, name: 'Main (after downgrade)' })).server;
  expect(second).toMatchObject({ type: 'error', error: { type: 'app', details: { code: 'FORBIDDEN' } } });
  const [row] = await stack.admin`select name from locations where id = ${locationId}`;
  expect(row?.name).toBe('Main (admin)');
});
