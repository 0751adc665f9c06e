import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { attachZeroGateway, CLIENT_HEADERS, forwardedClient } from './zero-gateway.ts';

/**
 * The gateway hands zero-cache the browser's address and user agent for the audit log (relayed to
 * /api/zero/mutate). Here zero-cache is stood in for by a plain server that records what reached it.
 */
let upstream: Server;
let gateway: Server;
let detach: () => void;
const seen: IncomingHttpHeaders[] = [];

const listen = (server: Server) => new Promise<number>((resolve) => { server.listen(0, '127.0.0.1', () => { resolve((server.address() as AddressInfo).port); }); });

beforeAll(async () => {
  upstream = createServer();
  upstream.on('upgrade', (req, socket) => {
    seen.push(req.headers);
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  const upstreamPort = await listen(upstream);
  gateway = createServer();
  detach = attachZeroGateway(gateway, `http://127.0.0.1:${String(upstreamPort)}`, createLogger('silent'));
  await listen(gateway);
});
afterAll(async () => {
  detach();
  for (const server of [gateway, upstream]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
  }
});

function upgrade(headers: Record<string, string>): Promise<void> {
  const { port } = gateway.address() as AddressInfo;
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/zero/sync/v49/connect?clientID=x', headers: { connection: 'Upgrade', upgrade: 'websocket', ...headers } });
    req.on('response', (response) => { response.resume(); response.on('end', resolve); });
    req.on('upgrade', (_response, socket) => { socket.destroy(); resolve(); });
    req.on('error', () => { resolve(); });
    req.end();
  });
}

it('tells zero-cache the address it saw and the browser\'s user agent, whatever the browser claimed', async () => {
  await upgrade({ 'user-agent': 'Mozilla/5.0 (X11)', [CLIENT_HEADERS.ip]: '203.0.113.66', [CLIENT_HEADERS.userAgent]: 'forged' });
  expect(seen).toHaveLength(1);
  expect(seen[0]?.[CLIENT_HEADERS.ip]).toBe('127.0.0.1');
  expect(seen[0]?.[CLIENT_HEADERS.userAgent]).toBe('Mozilla/5.0 (X11)');
});

it('reads what was relayed, and nothing when nothing was', () => {
  const headers: Record<string, string> = { [CLIENT_HEADERS.ip]: '198.51.100.7', [CLIENT_HEADERS.userAgent]: 'Firefox' };
  expect(forwardedClient((name) => headers[name] ?? '')).toEqual({ ip: '198.51.100.7', userAgent: 'Firefox' });
  expect(forwardedClient(() => '')).toEqual({ ip: null, userAgent: null });
});
