import postgres, { type Sql } from 'postgres';

/** The table of migration 0017; the library only reads and writes it (`tableCreated: true`). */
export const COUNTER_TABLE = 'rate_limit_counters';

type Query = { text: string; values?: unknown[] };
type Result = { rows: { points: number; expire: number | null }[]; rowCount: number };

/** What rate-limiter-flexible's RateLimiterPostgres calls on a `storeType: 'pool'` client. */
export type CounterStoreClient = { query(query: Query): Promise<Result> };

/**
 * The counters' own small pool, on the server's login: a slow or saturated database stalls these
 * few connections, never the request pool, and a statement that waits on a lock gives up quickly.
 */
export function createCounterPool(apiUrl: string): Sql {
  return postgres(apiUrl, {
    max: 4,
    connect_timeout: 5,
    idle_timeout: 60,
    onnotice: () => undefined,
    connection: { application_name: 'restartix-rate-limits', statement_timeout: 2000, lock_timeout: 1000 },
  });
}

/**
 * rate-limiter-flexible's Postgres client interface over postgres.js. A query slower than
 * `timeoutMs` fails, so that the limiter's in-memory insurance decides instead of the request
 * waiting on the database; `onFailure` hears of every failure (the caller throttles its logging).
 */
export function counterStoreClient(sql: Sql, options: { timeoutMs: number; onFailure: (error: unknown) => void }): CounterStoreClient {
  return {
    async query({ text, values = [] }) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => { reject(new Error(`rate-limit store slower than ${String(options.timeoutMs)} ms`)); }, options.timeoutMs);
      });
      try {
        const rows = await Promise.race([sql.unsafe(text, values as postgres.ParameterOrJSON<never>[], { prepare: true }), timeout]);
        // int8 arrives as a string from postgres.js; the library does arithmetic on it.
        return {
          rows: rows.map((row) => ({ points: Number(row.points), expire: row.expire === null || row.expire === undefined ? null : Number(row.expire) })),
          rowCount: rows.count,
        };
      } catch (error) {
        options.onFailure(error);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
