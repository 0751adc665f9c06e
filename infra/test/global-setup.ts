import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../embedded-postgres.ts';
import { freePort } from '../free-port.ts';
import { requireNode22 } from '../require-node-22.ts';
import { TEST_PASSWORDS, prepareTemplate } from './database.ts';

declare module 'vitest' {
  interface ProvidedContext {
    pgSuperuserUrl: string;
  }
}

/** One throwaway PostgreSQL cluster per test run, on a free port, removed afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  requireNode22();
  const root = resolve(import.meta.dirname, '..', '..', '.data');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'test-'));
  // PostgreSQL runs as its own system user (we are root), which must be able to enter the directory.
  chmodSync(dir, 0o755);
  const cluster = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    password: TEST_PASSWORDS.superuser,
    durable: false,
  });
  await prepareTemplate(cluster.superuserUrl());
  project.provide('pgSuperuserUrl', cluster.superuserUrl());
  return async () => {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
