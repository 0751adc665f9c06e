import { Logger, runMigrations } from 'graphile-worker';

/** graphile-worker's schema: its tables are its own; ours reach them by the names in 0014 only. */
export const JOB_QUEUE_SCHEMA = 'graphile_worker';

// Its migrations say nothing worth printing when they succeed, and throw when they do not.
const silent = new Logger(() => () => undefined);

/**
 * Creates or upgrades graphile-worker's schema as the owner role, before our own migrations (0014
 * grants the job runner's login on it and builds the dead-letter view over it). graphile-worker
 * versions its schema itself, checks that it is not newer than the library, and serialises
 * concurrent upgrades; running it on every start is a couple of reads when nothing changed.
 */
export async function migrateJobQueue(ownerUrl: string): Promise<void> {
  await runMigrations({ connectionString: ownerUrl, schema: JOB_QUEUE_SCHEMA, maxPoolSize: 1, logger: silent });
}
