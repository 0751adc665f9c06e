import type { Sql } from 'postgres';

/**
 * Waits until at least `count` backends of the current database are waiting for a lock: how a race
 * test knows that its concurrent transactions really are inside, queued on the row it holds.
 */
export async function waitForLockWaiters(admin: Sql, count: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await admin<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
    if ((row?.n ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`fewer than ${String(count)} backends waited for a lock within ${String(timeoutMs)} ms`);
}
