import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import postgres from 'postgres';
import { throwawayCluster } from '../infra/test/throwaway-cluster.ts';
import { findLeaks, identifyingValues, readLogFiles } from '../infra/test/log-leaks.ts';
import { startTestStack } from '../infra/test/test-stack.ts';
import { requireNode22 } from '../infra/require-node-22.ts';
import { seedDemo } from '../seeds/demo.ts';

/** Every log of the run, as production would write it (level info), for the leak check at the end. */
const E2E_LOG_DIR = resolve(import.meta.dirname, '..', '.data', 'e2e-logs');

/**
 * The whole platform for the browser tests: a private PostgreSQL, the demo seed, zero-cache and the
 * core API serving the built PWAs, all on free ports, stopped when the run ends. Their logs go to
 * .data/e2e-logs/; once everything has stopped, the run fails if any log line carries the name,
 * email or phone number of a person in the database (issue 4, item 11).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  requireNode22();
  rmSync(E2E_LOG_DIR, { recursive: true, force: true });
  mkdirSync(E2E_LOG_DIR, { recursive: true });
  const files: WriteStream[] = [];
  const open = (name: string) => {
    const file = createWriteStream(join(E2E_LOG_DIR, name));
    files.push(file);
    return file;
  };
  const postgresLog = open('postgres.log');
  const stackLog = open('stack.log');
  const cluster = await throwawayCluster((line) => { postgresLog.write(`${line}\n`); });
  const stack = await startTestStack(cluster.superuserUrl, async (sql) => { await seedDemo(sql); }, { LOG_LEVEL: 'info' }, {
    server: open('core-api.log'),
    lines: (source, line) => { stackLog.write(`[${source}] ${line}\n`); },
  });
  process.env.E2E_ORIGIN = stack.origin;
  process.env.E2E_ADMIN_DATABASE_URL = stack.databases.admin ?? '';
  return async () => {
    // The people are read before the database goes away; the logs after everything has stopped.
    const admin = postgres(stack.databases.admin ?? '', { max: 1, onnotice: () => undefined });
    const people = await identifyingValues(admin).finally(() => admin.end());
    await stack.stop();
    await cluster.stop();
    for (const file of files) file.end();
    await Promise.all(files.map((file) => finished(file)));
    const leaks = findLeaks(readLogFiles(E2E_LOG_DIR), people);
    if (leaks.length > 0) {
      const listed = leaks.slice(0, 50).map((leak) => `  ${leak.file}:${String(leak.line)} ${leak.column} "${leak.value}"`);
      throw new Error(`${String(leaks.length)} log line(s) in ${E2E_LOG_DIR} carry a person's name, email or phone number:\n${listed.join('\n')}`);
    }
    console.log(`Log check: ${String(people.size)} names and addresses looked for in ${E2E_LOG_DIR}, none found.`);
  };
}
