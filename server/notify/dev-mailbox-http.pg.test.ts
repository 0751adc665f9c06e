import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../infra/free-port.ts';
import { startStack, type Stack } from '../../infra/stack.ts';
import { TEST_PASSWORDS, uniqueName } from '../../infra/test/database.ts';
import { loadConfig } from '../config.ts';
import type { ReceivedMail } from './dev-mailbox.ts';

/**
 * The stack as `npm start` wires it, minus zero-cache (nothing here syncs): without SMTP_URL it runs
 * the development mailbox and mounts /dev/mailbox; with SMTP_URL it does neither.
 */
const DATA_ROOT = resolve(import.meta.dirname, '..', '..', '.data');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => { for (const cleanup of cleanups.reverse()) await cleanup(); });

async function stackWith(env: Record<string, string>): Promise<Stack> {
  const name = uniqueName('mail');
  const dataDir = mkdtempSync(join(DATA_ROOT, 'mail-'));
  chmodSync(dataDir, 0o755);
  // Every role's test password (DB_OWNER_PASSWORD, DB_API_PASSWORD, …): the cluster is shared.
  const passwords = Object.fromEntries(Object.entries(TEST_PASSWORDS)
    .filter(([role]) => role !== 'superuser')
    .map(([role, password]) => [`DB_${role.toUpperCase()}_PASSWORD`, password]));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATA_DIR: dataDir,
    DB_NAME: name,
    ZERO_APP_ID: name,
    // Never contacted: no client opens a sync socket in this file.
    ZERO_CACHE_URL: `http://127.0.0.1:${String(await freePort())}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...passwords,
    ...env,
  });
  cleanups.push(() => { rmSync(dataDir, { recursive: true, force: true }); return Promise.resolve(); });
  const stack = await startStack({ config, superuserUrl: inject('pgSuperuserUrl'), durable: false });
  cleanups.push(() => stack.stop());
  return stack;
}

const magicLink = (signInUrl: string) => ({ organizationName: 'Kinetic Iași', signInUrl, expiresInMinutes: 15 });

describe('with no SMTP_URL', () => {
  it('lists the mail sent, newest first, as JSON and as a page with clickable links', async () => {
    const stack = await stackWith({});
    expect(stack.mailboxUrl).toBe(`${stack.origin}/dev/mailbox`);
    await stack.notify.send({ email: 'ioana@patients.test', locale: 'ro' }, 'magic_link', magicLink('https://portal.restartix.test/a?t=1&u=2'), 'http:first');
    await stack.notify.send({ email: 'mihai@patients.test', locale: 'en' }, 'magic_link', magicLink('https://portal.restartix.test/b'), 'http:second');

    const json = await fetch(`${stack.origin}/dev/mailbox.json`);
    expect(json.status).toBe(200);
    const { messages } = (await json.json()) as { messages: ReceivedMail[] };
    expect(messages.map((mail) => mail.to)).toEqual([['mihai@patients.test'], ['ioana@patients.test']]);
    const [newest, oldest] = messages;
    expect(newest?.subject).toBe('Your sign-in link – Kinetic Iași');
    expect(oldest?.subject).toBe('Linkul de autentificare – Kinetic Iași');
    expect(oldest?.text).toContain('https://portal.restartix.test/a?t=1&u=2');
    expect(oldest?.html).toContain('href="https://portal.restartix.test/a?t=1&amp;u=2"');
    expect(Date.parse(oldest?.receivedAt ?? '')).not.toBeNaN();

    const page = await fetch(stack.mailboxUrl ?? '');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<a href="https://portal.restartix.test/a?t=1&amp;u=2">');
    expect(html).toContain('ioana@patients.test');
    expect(html.indexOf('mihai@patients.test')).toBeLessThan(html.indexOf('ioana@patients.test'));
  });
});

describe('with SMTP_URL', () => {
  it('runs no mailbox and answers 404 for its pages', async () => {
    const stack = await stackWith({ SMTP_URL: `smtp://127.0.0.1:${String(await freePort())}` });
    expect(stack.mailboxUrl).toBeNull();
    for (const path of ['/dev/mailbox.json', '/dev/mailbox']) {
      const response = await fetch(`${stack.origin}${path}`);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });
});
