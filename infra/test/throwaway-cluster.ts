import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '../embedded-postgres.ts';
import { freePort } from '../free-port.ts';
import { TEST_PASSWORDS } from './database.ts';

/** A private PostgreSQL cluster for one benchmark or e2e run, removed afterwards; `log` gets its server log. */
export async function throwawayCluster(log?: (line: string) => void): Promise<{ superuserUrl: string; stop: () => Promise<void> }> {
  const root = resolve(import.meta.dirname, '..', '..', '.data');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'bench-'));
  chmodSync(dir, 0o755);
  const cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), password: TEST_PASSWORDS.superuser, durable: true, ...(log === undefined ? {} : { log }) });
  return {
    superuserUrl: cluster.superuserUrl(),
    stop: async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
