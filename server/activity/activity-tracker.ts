import type { Sql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { actAs } from '../db-scope.ts';
import type { Logger } from '../logger.ts';

export type ActivityTracker = {
  /** Notes that `auth` made a request. Returns at once; never throws. */
  seen(auth: AuthContext): void;
  /** Resolves when every write started so far has finished (shutdown, tests). */
  settled(): Promise<void>;
};

type Options = {
  sql: Sql;
  log: Logger;
  /** At most one write per principal and organisation in this window. */
  intervalMs?: number;
  now?: () => number;
};

// Entries older than the window are dropped once the map grows past this, so it stays bounded.
const PRUNE_ABOVE = 10_000;

/**
 * Last seen per principal and organisation (principal_activity). Each server process remembers when
 * it last wrote each pair, so a request costs a map lookup, and a database write at most once per
 * window. The write runs after the request has moved on, as the principal under RLS; a failure is
 * logged and forgotten, since a missed "last seen" is corrected by the next request.
 */
export function createActivityTracker({ sql, log, intervalMs = 60_000, now = Date.now }: Options): ActivityTracker {
  const lastWrite = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();

  const write = async (auth: AuthContext) => {
    await sql.begin(async (tx) => {
      await actAs(tx, auth);
      await tx`insert into principal_activity (principal_id, organization_id) values (${auth.principalId}, ${auth.organizationId})
        on conflict (principal_id, organization_id) do update set last_seen_at = excluded.last_seen_at`;
    });
  };

  return {
    seen(auth) {
      const key = `${auth.principalId}|${auth.organizationId ?? ''}`;
      const at = now();
      const previous = lastWrite.get(key);
      if (previous !== undefined && at - previous < intervalMs) return;
      if (lastWrite.size >= PRUNE_ABOVE) for (const [k, t] of lastWrite) if (at - t >= intervalMs) lastWrite.delete(k);
      lastWrite.set(key, at);
      const pending = write(auth).catch((error: unknown) => {
        log.warn({ err: error, principalId: auth.principalId, organizationId: auth.organizationId }, 'last-seen not recorded');
      });
      inFlight.add(pending);
      void pending.finally(() => inFlight.delete(pending));
    },
    async settled() {
      await Promise.all([...inFlight]);
    },
  };
}
