import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyProviderError } from './key-provider.ts';
import { createLocalKeyringProvider, ensureKeyringFile, KeyringError, rotateKeyringMasterKey } from './local-keyring.ts';

const root = mkdtempSync(join(tmpdir(), 'keyring-'));
afterAll(() => { rmSync(root, { recursive: true, force: true }); });
const fresh = (name: string) => join(root, randomUUID(), name);
const org = randomUUID();

function keyringError(run: () => unknown): KeyringError {
  try {
    run();
  } catch (error) {
    if (error instanceof KeyringError) return error;
    throw error;
  }
  throw new Error('the keyring was accepted');
}

describe('the local keyring file', () => {
  it('is created on first start, readable by its owner only, and reused afterwards', async () => {
    const path = fresh('keyring.json');
    const first = createLocalKeyringProvider(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { format: string; current: number; keys: Record<string, { key: string }> };
    expect(file).toMatchObject({ format: 'restartix-keyring/1', current: 1 });
    expect(Buffer.from(file.keys['1']?.key ?? '', 'base64')).toHaveLength(32);

    const dataKey = await first.generateDataKey(org);
    expect(dataKey.keyId).toBe('local-keyring:v1');
    expect(dataKey.plaintext).toHaveLength(32);
    expect(dataKey.wrapped.includes(dataKey.plaintext)).toBe(false);
    // A restart reads the same file: the stored wrap still opens.
    const second = createLocalKeyringProvider(path);
    expect(await second.unwrap(dataKey, org)).toEqual(dataKey.plaintext);
    expect(ensureKeyringFile(path)).toBe(false);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(file);
  });

  it('binds each wrap to its organisation, and refuses an altered wrap or an unknown master key', async () => {
    const provider = createLocalKeyringProvider(fresh('keyring.json'));
    const dataKey = await provider.generateDataKey(org);
    await expect(provider.unwrap(dataKey, randomUUID())).rejects.toThrow(/belongs to another organisation or was altered/);
    const altered = Buffer.from(dataKey.wrapped);
    altered[20] = (altered[20] ?? 0) ^ 0x80;
    await expect(provider.unwrap({ ...dataKey, wrapped: altered }, org)).rejects.toThrow(KeyProviderError);
    await expect(provider.unwrap({ ...dataKey, keyId: 'local-keyring:v9' }, org)).rejects.toThrow(/no master key local-keyring:v9/);
    await expect(provider.unwrap({ ...dataKey, keyId: 'arn:aws:kms:eu-central-1:123456789012:key/x' }, org)).rejects.toThrow(/no master key/);
  });

  it('rotates its master key: new data keys use the new version, older wraps still open', async () => {
    const path = fresh('keyring.json');
    const before = await createLocalKeyringProvider(path).generateDataKey(org);
    expect(rotateKeyringMasterKey(path)).toBe(2);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const provider = createLocalKeyringProvider(path);
    const after = await provider.generateDataKey(org);
    expect(after.keyId).toBe('local-keyring:v2');
    expect(await provider.unwrap(before, org)).toEqual(before.plaintext);
    expect(await provider.unwrap(after, org)).toEqual(after.plaintext);
  });

  it('refuses to start on a malformed file, naming the file and the problem but never a key', () => {
    const path = fresh('keyring.json');
    mkdirSync(resolve(path, '..'), { recursive: true });
    writeFileSync(path, '{"format": "restartix-keyring/1", "current": 1, "keys": {"1": {"key": "c2hvcnQ=", "createdAt": "2026-01-01T00:00:00Z"}', { mode: 0o600 });
    expect(keyringError(() => createLocalKeyringProvider(path)).message).toBe(`the keyring ${path} is malformed: not JSON`);

    writeFileSync(path, JSON.stringify({ format: 'restartix-keyring/1', current: 1, keys: { 1: { key: 'c2hvcnQ=', createdAt: '2026-01-01T00:00:00Z' } } }));
    const short = keyringError(() => createLocalKeyringProvider(path)).message;
    expect(short).toMatch(new RegExp(`^the keyring ${path} is malformed: keys\\.1\\.key must be 32 bytes`));
    expect(short).not.toContain('c2hvcnQ=');

    writeFileSync(path, JSON.stringify({ format: 'restartix-keyring/1', current: 2, keys: { 1: { key: Buffer.alloc(32, 7).toString('base64'), createdAt: '2026-01-01T00:00:00Z' } } }));
    expect(keyringError(() => createLocalKeyringProvider(path)).message).toMatch(/malformed: current the current version has no key/);
    writeFileSync(path, '');
    expect(keyringError(() => createLocalKeyringProvider(path)).message).toMatch(/malformed: not JSON/);
  });

  it('refuses a keyring other users can read or write', async () => {
    const path = fresh('keyring.json');
    const provider = createLocalKeyringProvider(path);
    await provider.generateDataKey(org);
    chmodSync(path, 0o644);
    expect(keyringError(() => createLocalKeyringProvider(path)).message)
      .toBe(`the keyring ${path} is open to other users (mode 0644); allow its owner only: chmod 600 ${path}`);
    chmodSync(path, 0o620);
    expect(keyringError(() => createLocalKeyringProvider(path)).message).toMatch(/mode 0620/);
  });

  it('refuses to start when the keyring cannot be read', () => {
    const directory = fresh('keyring.json');
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    expect(keyringError(() => createLocalKeyringProvider(directory)).message).toBe(`cannot read the keyring ${directory}: not a regular file`);

    // A file of another user, as the server's own user sees it (we may be root, who reads anything).
    const path = fresh('keyring.json');
    createLocalKeyringProvider(path);
    chmodSync(resolve(path, '..'), 0o755);
    chmodSync(root, 0o755);
    const script = `import { createLocalKeyringProvider } from ${JSON.stringify(resolve(import.meta.dirname, 'local-keyring.ts'))};
      try { createLocalKeyringProvider(process.env.KEYRING); } catch (error) { console.log(error.name + ': ' + error.message); process.exit(3); }`;
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(path, 0o000);
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: resolve(import.meta.dirname, '..', '..'),
      env: { ...process.env, KEYRING: path },
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    expect(run.stdout.trim(), run.stderr).toBe(`KeyringError: cannot read the keyring ${path}: EACCES`);
    expect(run.status).toBe(3);
  });
});
