import { performance } from 'node:perf_hooks';
import type { Sql } from 'postgres';
import { startTestStack } from '../infra/test/test-stack.ts';
import { mutateClient } from './mutate-client.ts';
import { addMembership, createHuman, createLocation, createOrganization } from '../seeds/factories.ts';
import { throwawayCluster } from '../infra/test/throwaway-cluster.ts';

const UPDATES = 2_000;
const LOCATIONS = 20;

/**
 * 2,000 location updates through the whole mutate path (HTTP into Koa, API key and token check,
 * context from the database, RLS, zod, permission and existence checks, write receipt, audit row, in
 * Zero's transaction), against the same number of plain single-row UPDATEs through postgres.js on
 * the same database, in the same run.
 */
export async function mutateVsRaw(): Promise<string> {
  const cluster = await throwawayCluster();
  const locationIds: string[] = [];
  const stack = await startTestStack(cluster.superuserUrl, async (sql: Sql) => {
    const org = await createOrganization(sql, { slug: 'bench', name: 'Bench clinic' });
    await addMembership(sql, org, await createHuman(sql, { email: 'admin@bench.test', name: 'Bench admin' }), 'admin');
    for (let i = 0; i < LOCATIONS; i++) locationIds.push(await createLocation(sql, org, { slug: `site-${String(i)}`, name: `Site ${String(i)}` }));
  });
  try {
    const client = await mutateClient(stack, 'admin@bench.test', locationIds);

    // Warm both paths (connections, prepared statements, JIT) before measuring.
    await client.time(50, 'Warm');
    for (let i = 0; i < 50; i++) await stack.admin`update locations set name = ${`Warm raw ${String(i)}`} where id = ${locationIds[i % LOCATIONS] ?? ''}`;

    const mutateMs = await client.time(UPDATES, 'Mutate');

    const rawStart = performance.now();
    for (let i = 0; i < UPDATES; i++) await stack.admin`update locations set name = ${`Raw ${String(i)}`} where id = ${locationIds[i % LOCATIONS] ?? ''}`;
    const rawMs = performance.now() - rawStart;

    const audited = Number((await stack.admin`select count(*)::int as n from audit_log where action = 'location.updated'`)[0]?.n);
    if (audited !== UPDATES + 50) throw new Error(`expected ${String(UPDATES + 50)} audit rows, found ${String(audited)}`);

    const mutatePerSecond = UPDATES / (mutateMs / 1000);
    const rawPerSecond = UPDATES / (rawMs / 1000);
    return [
      `mutate path: ${String(UPDATES)} updates in ${mutateMs.toFixed(0)} ms = ${mutatePerSecond.toFixed(0)}/s (each audited: ${String(audited)} audit rows)`,
      `raw UPDATE:  ${String(UPDATES)} updates in ${rawMs.toFixed(0)} ms = ${rawPerSecond.toFixed(0)}/s`,
      `ratio mutate/raw = ${(mutateMs / rawMs).toFixed(2)} (time per update through the mutate path over a plain UPDATE; lower is better)`,
    ].join('\n');
  } finally {
    await stack.stop();
    await cluster.stop();
  }
}
