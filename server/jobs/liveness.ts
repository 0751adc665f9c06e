import type { Sql } from 'postgres';
import type { Logger } from '../logger.ts';

/**
 * graphile-worker frees the jobs of a worker that died (SIGKILL, a lost machine) only after four
 * hours. We free them as soon as the worker is known dead: every worker pool holds a session-level
 * advisory lock named after its pool id on a connection of its own, for as long as it runs; Postgres
 * drops the lock when that connection's process dies. A sweeper (in every runner) looks at the pools
 * that hold jobs; a pool whose lock it can take is dead, and its jobs are unlocked to run again.
 * Running a dead pool's job again is safe: handlers are exactly-once (server/jobs/handle-event.ts).
 *
 * `graceMs`: a pool takes its lock a moment after it is created and may lock a job in that moment;
 * jobs locked more recently than this are never freed.
 */
export type LivenessOptions = { sweepIntervalMs: number; graceMs: number };

export const DEFAULT_LIVENESS: LivenessOptions = { sweepIntervalMs: 30_000, graceMs: 10_000 };

// Two-key advisory locks: this namespace ('RXJB') and the pool id's hash.
const NAMESPACE = 0x52584a42;

export type Liveness = {
  /** Takes the pool's lock and starts sweeping; resolves once the lock is held. */
  hold(poolId: string): Promise<void>;
  /** Frees the jobs of every dead pool now; the ids of the pools whose jobs were freed. */
  sweep(): Promise<string[]>;
  stop(): Promise<void>;
};

/**
 * `sql` runs the sweeps; `holder` is a pool of one connection that never expires (max: 1,
 * max_lifetime: 0) and holds the lock: closing it (`stop`, or the process dying) releases the lock.
 */
export function createLiveness(sql: Sql, holder: Sql, log: Logger, options: LivenessOptions): Liveness {
  let heldPool: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<unknown> = Promise.resolve();

  const lock = async (poolId: string) => {
    await holder`select pg_advisory_lock(${NAMESPACE}, hashtext(${poolId}))`;
  };

  // The holder's connection may have been replaced (a network blip, a database restart), and the
  // lock lost with the old one, which makes this pool look dead to the others: take it again.
  const keepHolding = async () => {
    if (heldPool === null) return;
    const [row] = await holder<{ held: boolean }[]>`
      select exists (select from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted
        and classid = ${NAMESPACE}::oid and objsubid = 2 and objid::bigint = (hashtext(${heldPool})::bigint & 4294967295)) as held`;
    if (row?.held === true) return;
    log.warn({ poolId: heldPool }, 'job worker liveness lock lost with its connection; taking it again');
    await lock(heldPool);
  };

  const sweep = async (): Promise<string[]> => {
    const pools = await sql<{ locked_by: string }[]>`
      select locked_by from graphile_worker._private_jobs
        where locked_by is not null and locked_at < now() - make_interval(secs => ${options.graceMs / 1000})
      union
      select locked_by from graphile_worker._private_job_queues
        where locked_by is not null and locked_at < now() - make_interval(secs => ${options.graceMs / 1000})`;
    const freed: string[] = [];
    for (const { locked_by: poolId } of pools) {
      if (poolId === heldPool) continue;
      // A transaction-level try on a pooled connection: never re-entrant with our own holder's session.
      const dead = await sql.begin(async (tx) => {
        const [row] = await tx<{ free: boolean }[]>`select pg_try_advisory_xact_lock(${NAMESPACE}, hashtext(${poolId})) as free`;
        if (row?.free !== true) return false;
        await tx`select graphile_worker.force_unlock_workers(${[poolId]}::text[])`;
        return true;
      });
      if (dead) freed.push(poolId);
    }
    if (freed.length > 0) log.warn({ pools: freed }, 'jobs of dead job workers unlocked to run again');
    return freed;
  };

  const tick = () => {
    sweeping = sweeping
      .then(keepHolding)
      .then(sweep)
      .catch((error: unknown) => { log.error({ errorName: error instanceof Error ? error.name : 'unknown' }, 'job worker liveness sweep failed'); });
  };

  return {
    async hold(poolId) {
      await lock(poolId);
      heldPool = poolId;
      tick();
      timer = setInterval(tick, options.sweepIntervalMs);
      timer.unref();
    },
    sweep,
    async stop() {
      if (timer !== null) clearInterval(timer);
      await sweeping;
      heldPool = null;
      // Closing the connection releases the lock; no query, so this works with the database gone too.
      await holder.end({ timeout: 1 });
    },
  };
}
