import { throwawayCluster } from '../infra/test/throwaway-cluster.ts';
import { startTestStack } from '../infra/test/test-stack.ts';
import { requireNode22 } from '../infra/require-node-22.ts';
import { seedDemo } from '../seeds/demo.ts';

/**
 * The whole platform for the browser tests: a private PostgreSQL, the demo seed, zero-cache and the
 * core API serving the built PWAs, all on free ports, stopped when the run ends.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  requireNode22();
  const cluster = await throwawayCluster();
  const stack = await startTestStack(cluster.superuserUrl, async (sql) => { await seedDemo(sql); });
  process.env.E2E_ORIGIN = stack.origin;
  process.env.E2E_ADMIN_DATABASE_URL = stack.databases.admin ?? '';
  return async () => {
    await stack.stop();
    await cluster.stop();
  };
}
