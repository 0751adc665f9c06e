import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Zero } from '@rocicorp/zero';
import { expect, inject, it } from 'vitest';
import { withCredentials, withDatabase } from '../db/bootstrap.ts';
import { ROLES } from '../db/roles.ts';
import { seedDemo } from '../seeds/demo.ts';
import { loadConfig } from '../server/config.ts';
import type { AuthContext } from '../sync-rules/context.ts';
import { mutators } from '../sync-rules/mutators.ts';
import { queries } from '../sync-rules/queries.ts';
import { schema } from '../sync-rules/schema.ts';
import { bootstrapExternalDatabase } from './bootstrap-database.ts';
import { startStack } from './stack.ts';
import { TEST_PASSWORDS, uniqueName } from './test/database.ts';

it('runs on an external PostgreSQL named by the environment, without starting its own', { timeout: 180_000 }, async () => {
  // The "external" server is the test cluster; nothing tells the stack so but the URLs.
  const name = uniqueName('ext');
  const serverUrl = inject('pgSuperuserUrl');
  const dataDir = mkdtempSync(join(resolve(import.meta.dirname, '..', '.data'), 'ext-'));
  chmodSync(dataDir, 0o755);
  const databaseUrl = withDatabase(serverUrl, name);
  const env = {
    NODE_ENV: 'test',
    PORT: '0',
    ZERO_PORT: '0',
    DATA_DIR: dataDir,
    DB_NAME: name,
    ZERO_APP_ID: name,
    LOG_LEVEL: 'silent',
    // An embedded cluster would need this port; it must stay unused.
    EMBEDDED_PG_PORT: '1',
    DATABASE_ADMIN_URL: databaseUrl,
    DATABASE_URL: withCredentials(databaseUrl, ROLES.owner, TEST_PASSWORDS.owner),
    APP_DATABASE_URL: withCredentials(databaseUrl, ROLES.api, TEST_PASSWORDS.api),
    ZERO_UPSTREAM_DB: withCredentials(databaseUrl, ROLES.zero, TEST_PASSWORDS.zero),
    AUTH_DATABASE_URL: withCredentials(databaseUrl, ROLES.auth, TEST_PASSWORDS.auth),
    DB_OWNER_PASSWORD: TEST_PASSWORDS.owner,
    DB_API_PASSWORD: TEST_PASSWORDS.api,
    DB_ZERO_PASSWORD: TEST_PASSWORDS.zero,
    DB_AUTH_PASSWORD: TEST_PASSWORDS.auth,
  };
  const config = loadConfig(env);
  await bootstrapExternalDatabase({ ...config, DATABASE_ADMIN_URL: serverUrl });
  const stack = await startStack({ config, seed: async (sql) => { await seedDemo(sql); }, durable: false });
  try {
    expect(stack.databases.owner).toBe(env.DATABASE_URL);
    const response = await fetch(`${stack.origin}/api/dev/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'staff@motion.test' }),
    });
    const session = (await response.json()) as { token: string; context: AuthContext };
    const zero = new Zero({ cacheURL: `${stack.origin}/zero`, schema, mutators, userID: session.context.principalId, auth: session.token, context: session.context, kvStore: 'mem', logLevel: 'error' });
    const locations = await zero.run(queries.clinic.locations(), { type: 'complete' });
    expect(locations.map((l) => l.name).sort()).toEqual(['Motion Brașov', 'Motion Iași', 'Motion Timișoara']);
    await zero.close();
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
