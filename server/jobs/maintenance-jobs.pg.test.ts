import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../infra/test/database.ts';
import { createLogger } from '../logger.ts';
import { ensureAuditPartitions } from './maintenance-jobs.ts';

let db: TestDatabase;
beforeAll(async () => { db = await freshDatabase(inject('pgSuperuserUrl')); });
afterAll(async () => { await db.close(); });

it("keeps the audit log's next months ready, as the job runner's login", async () => {
  await ensureAuditPartitions.run({ sql: db.api, log: createLogger('silent'), scheduledFor: new Date() });
  const months = await db.admin<{ covered: boolean }[]>`
    select exists (
      select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'audit_log'::regclass
        and pg_get_expr(c.relpartbound, c.oid) like '%' || to_char(date_trunc('month', now() at time zone 'utc') + make_interval(months => m), 'YYYY-MM-DD') || '%'
    ) as covered
    from generate_series(0, 2) m`;
  expect(months.map((month) => month.covered)).toEqual([true, true, true]);
});
