import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../infra/test/database.ts';
import { createLogger } from '../logger.ts';
import { ensureAuditPartitions } from './maintenance-jobs.ts';

let db: TestDatabase;
beforeAll(async () => { db = await freshDatabase(inject('pgSuperuserUrl')); });
afterAll(async () => { await db.close(); });

const partitionsAhead = () => db.admin<{ name: string }[]>`
  select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
  where i.inhparent = 'audit_log'::regclass and pg_get_expr(c.relpartbound, c.oid) like 'FOR VALUES FROM (''' || to_char(
    date_trunc('month', now() at time zone 'utc') + interval '2 months', 'YYYY-MM-DD') || '%'`;

it("keeps the audit log's next months ready, as the job runner's login", async () => {
  // The migration made them; take the furthest (empty) month away, as if the platform had run for months.
  const [furthest] = await partitionsAhead();
  if (furthest === undefined) throw new Error('the migration made no partition two months ahead');
  await db.admin.unsafe(`drop table audit_log_partitions.${furthest.name}`);
  expect(await partitionsAhead()).toEqual([]);
  await ensureAuditPartitions.run({ sql: db.api, log: createLogger('silent'), scheduledFor: new Date() });
  expect(await partitionsAhead()).toEqual([furthest]);
});
