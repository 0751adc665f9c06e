import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import type { Logger } from './logger.ts';

export const ZERO_PREFIX = '/zero';
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
    proxy.ws(req, socket, head);
  };
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('upgrade', onUpgrade);
    proxy.close();
  };
}
