import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import type { Logger } from './logger.ts';

export const ZERO_PREFIX = '/zero';

/**
 * The browser's address and user agent travel with its sync socket to zero-cache, which relays
 * them to /api/zero/mutate (ZERO_MUTATE_ALLOWED_REQUEST_HEADERS, infra/zero-cache.ts) for the audit
 * log. The gateway always overwrites them, so a browser cannot name another address.
 */
export const CLIENT_HEADERS = { ip: 'x-restartix-client-ip', userAgent: 'x-restartix-client-agent' } as const;

/** What the gateway relayed; read only on requests that carry zero-cache's API key. */
export function forwardedClient(get: (header: string) => string): { ip: string | null; userAgent: string | null } {
  const ip = get(CLIENT_HEADERS.ip);
  const userAgent = get(CLIENT_HEADERS.userAgent);
  return { ip: ip === '' ? null : ip, userAgent: userAgent === '' ? null : userAgent };
}

// Only the client's sync socket goes through; zero-cache's admin pages (/statz, inspector) do not.
const ALLOWED = /^\/zero\/sync\/v\d+\/connect(\?|$)/;

/**
 * Puts zero-cache behind our origin: the browser opens `wss://<origin>/zero/sync/...` and never
 * learns where zero-cache runs. zero-cache has no bind-address option, so in production it must
 * also be firewalled.
 */
export function attachZeroGateway(server: Server, zeroCacheUrl: string, log: Logger): () => void {
  const proxy = createProxyServer({ target: zeroCacheUrl, ws: true, xfwd: false });
  proxy.on('error', (error, _req, socket) => {
    log.warn({ err: error }, 'zero-cache unreachable');
    if (socket !== undefined && 'destroy' in socket) socket.destroy();
  });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? '';
    if (!ALLOWED.test(url)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    req.url = url.slice(ZERO_PREFIX.length);
    req.headers[CLIENT_HEADERS.ip] = req.socket.remoteAddress ?? '';
    req.headers[CLIENT_HEADERS.userAgent] = req.headers['user-agent'] ?? '';
    proxy.ws(req, socket, head);
  };
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('upgrade', onUpgrade);
    proxy.close();
  };
}
