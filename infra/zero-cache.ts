import { resolve } from 'node:path';
import { CLIENT_HEADERS } from '../server/zero-gateway.ts';
import { startChild, waitFor, type Child } from './child-process.ts';

export type ZeroCacheOptions = {
  upstreamUrl: string;
  appId: string;
  publication: string;
  port: number;
  replicaFile: string;
  apiBaseUrl: string;
  apiKey: string;
  adminPassword: string;
  log: (line: string) => void;
};

const cli = resolve(import.meta.dirname, '..', 'node_modules', '@rocicorp', 'zero', 'out', 'zero', 'src', 'cli.js');

/**
 * Runs zero-cache as a child on the Node running us (Node 22 from the `node` package under npm
 * scripts; see docs/adr/0002-node-22-from-npm.md).
 */
export async function startZeroCache(options: ZeroCacheOptions): Promise<Child & { url: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ZERO_UPSTREAM_DB: options.upstreamUrl,
    ZERO_APP_ID: options.appId,
    ZERO_APP_PUBLICATIONS: options.publication,
    ZERO_REPLICA_FILE: options.replicaFile,
    ZERO_PORT: String(options.port),
    ZERO_MUTATE_URL: `${options.apiBaseUrl}/api/zero/mutate`,
    ZERO_QUERY_URL: `${options.apiBaseUrl}/api/zero/query`,
    ZERO_MUTATE_API_KEY: options.apiKey,
    ZERO_QUERY_API_KEY: options.apiKey,
    // The browser's address and user agent, set by our gateway on the sync socket, go on to the
    // mutate endpoint for the audit log (server/zero-gateway.ts).
    ZERO_MUTATE_ALLOWED_REQUEST_HEADERS: `${CLIENT_HEADERS.ip},${CLIENT_HEADERS.userAgent}`,
    ZERO_ADMIN_PASSWORD: options.adminPassword,
    // Security: no legacy CRUD pushes; only our custom mutators write.
    ZERO_ENABLE_CRUD_MUTATIONS: 'false',
    // Role and membership changes reach open clients within 30 seconds, not five minutes.
    ZERO_AUTH_REVALIDATE_INTERVAL_SECONDS: '20',
    ZERO_AUTH_RETRANSFORM_INTERVAL_SECONDS: '20',
    ZERO_NUM_SYNC_WORKERS: '1',
    ZERO_ENABLE_TELEMETRY: 'false',
    ZERO_LOG_LEVEL: 'warn',
    ZERO_LOG_FORMAT: 'text',
  };
  // The last lines it printed go into the error if it dies while starting.
  const recent: string[] = [];
  const child = startChild(process.execPath, [cli], {
    env,
    log: (line) => {
      recent.push(line);
      if (recent.length > 15) recent.shift();
      options.log(line);
    },
  });
  const url = `http://127.0.0.1:${String(options.port)}`;
  try {
    await waitFor('zero-cache /keepalive', async () => (await fetch(`${url}/keepalive`)).ok, 120_000, child);
  } catch (error) {
    await child.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${recent.join('\n')}`, { cause: error });
  }
  return { ...child, url };
}
