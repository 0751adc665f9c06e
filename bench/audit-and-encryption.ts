import { performance } from 'node:perf_hooks';
import type { Sql } from 'postgres';
import { throwawayCluster } from '../infra/test/throwaway-cluster.ts';
import { startTestStack, type TestStack } from '../infra/test/test-stack.ts';
import { addMembership, createHuman, createLocation, createOrganization } from '../seeds/factories.ts';
import { mutateClient } from './mutate-client.ts';

const UPDATES = 1_000;
const LOCATIONS = 20;
// A clinical note's size: what a health field will carry once patients land (issue 5).
const NOTE = 'Pacientul raportează durere la flexia genunchiului drept, 4/10; progres bun la exercițiile de mobilitate. '.repeat(3);

/**
 * The audit chain's trigger with everything it costs taken out (no advisory lock, no head row, no
 * SHA-256): what "chain off" means here. Installed as superuser in the "off" database only.
 */
const CHAIN_OFF = `
create or replace function audit_log_chain() returns trigger language plpgsql security definer
set search_path = pg_catalog, pg_temp as $$
begin
  new.chain_seq := 1;
  new.entry_hash := pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex');
  return new;
end $$`;

async function benchStack(superuserUrl: string) {
  const locationIds: string[] = [];
  let organizationId = '';
  const stack = await startTestStack(superuserUrl, async (sql: Sql) => {
    organizationId = await createOrganization(sql, { slug: 'bench', name: 'Bench clinic' });
    await addMembership(sql, organizationId, await createHuman(sql, { email: 'admin@bench.test', name: 'Bench admin' }), 'admin');
    for (let i = 0; i < LOCATIONS; i++) locationIds.push(await createLocation(sql, organizationId, { slug: `site-${String(i)}`, name: `Site ${String(i)}` }));
  });
  return { stack, locationIds, organizationId };
}

/** Encrypts (and reads back) one note per write under the clinic's data key, as a health field will be. */
async function encryptionMs(stack: TestStack, organizationId: string, count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const context = { table: 'bench_notes', column: 'note', rowId: String(i) };
    const sealed = await stack.encryption.encryptField(organizationId, context, NOTE);
    if ((await stack.encryption.decryptField(organizationId, context, sealed)) !== NOTE) throw new Error('round trip failed');
  }
  return performance.now() - start;
}

/**
 * 1,000 location updates through the whole mutate path with the audit hash chain on, plus the field
 * encryption a health write will carry, against the same path with the chain's work removed and no
 * encryption. Two fresh databases on one cluster, in the same run.
 */
export async function auditAndEncryption(): Promise<string> {
  const cluster = await throwawayCluster();
  const on = await benchStack(cluster.superuserUrl);
  const off = await benchStack(cluster.superuserUrl);
  try {
    await off.stack.admin.unsafe(CHAIN_OFF);
    const clientOn = await mutateClient(on.stack, 'admin@bench.test', on.locationIds);
    const clientOff = await mutateClient(off.stack, 'admin@bench.test', off.locationIds);
    // Warm both (connections, prepared statements, the data-key cache).
    await clientOn.time(50, 'Warm');
    await clientOff.time(50, 'Warm');
    await encryptionMs(on.stack, on.organizationId, 50);

    // Interleaved halves, so that drift in machine load falls on both sides alike.
    let chainOnMs = 0;
    let chainOffMs = 0;
    for (const half of [0, 1]) {
      chainOnMs += await clientOn.time(UPDATES / 2, `On ${String(half)}`);
      chainOffMs += await clientOff.time(UPDATES / 2, `Off ${String(half)}`);
    }
    const encryptMs = await encryptionMs(on.stack, on.organizationId, UPDATES);

    const [chained] = await on.stack.admin<{ n: number; seqs: number }[]>`
      select count(*)::int as n, count(distinct chain_seq)::int as seqs from audit_log where action = 'location.updated'`;
    if (chained?.n !== UPDATES + 50 || chained.seqs !== chained.n) throw new Error(`the chain-on database has ${JSON.stringify(chained)} chained entries`);

    const onMs = chainOnMs + encryptMs;
    return [
      `chain on:   ${String(UPDATES)} mutations in ${chainOnMs.toFixed(0)} ms (${(chainOnMs / UPDATES).toFixed(2)} ms each, every entry hash-chained)`,
      `chain off:  ${String(UPDATES)} mutations in ${chainOffMs.toFixed(0)} ms (${(chainOffMs / UPDATES).toFixed(2)} ms each)`,
      `encryption: ${String(UPDATES)} notes of ${String(NOTE.length)} characters sealed and opened in ${encryptMs.toFixed(0)} ms (${(encryptMs / UPDATES).toFixed(3)} ms each, data key cached)`,
      `ratio chain on/off = ${(chainOnMs / chainOffMs).toFixed(3)}`,
      `ratio mutate path with audit chain and encryption on/off = ${(onMs / chainOffMs).toFixed(3)} (lower is better; 1.0 = free)`,
    ].join('\n');
  } finally {
    await on.stack.stop();
    await off.stack.stop();
    await cluster.stop();
  }
}
