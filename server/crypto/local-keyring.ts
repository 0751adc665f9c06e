import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DATA_KEY_BYTES, KeyProviderError, type DataKey, type KeyProvider, type WrappedDataKey } from './key-provider.ts';

/**
 * The embedded default key provider: versioned AES-256 master keys in one JSON file under DATA_DIR,
 * readable by the server's user only (0600). Created on first start; refused at boot when it cannot
 * be read, is malformed, or is open to other users (as ssh refuses a private key). Production uses
 * AWS KMS instead (server/config.ts refuses this provider there).
 *
 * Security: key material stays inside this module's closures; nothing here logs, and error messages
 * name the file and the problem, never its content.
 */

const FORMAT = 'restartix-keyring/1';
const KEY_ID = /^local-keyring:v([1-9][0-9]{0,8})$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const ZKeyring = z.object({
  format: z.literal(FORMAT),
  current: z.number().int().min(1),
  keys: z.record(
    z.string().regex(/^[1-9][0-9]{0,8}$/),
    z.object({
      key: z.base64().refine((value) => Buffer.from(value, 'base64').length === DATA_KEY_BYTES, 'must be 32 bytes (AES-256)'),
      createdAt: z.iso.datetime(),
    }),
  ),
}).refine((keyring) => String(keyring.current) in keyring.keys, { message: 'the current version has no key', path: ['current'] });
type KeyringFile = z.infer<typeof ZKeyring>;

export class KeyringError extends Error {
  override name = 'KeyringError';
}

type Keyring = { current: number; masterKeys: Map<number, Buffer> };

const errorCode = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error);

function newMasterKey(): KeyringFile['keys'][string] {
  return { key: randomBytes(DATA_KEY_BYTES).toString('base64'), createdAt: new Date().toISOString() };
}

/** Writes beside the target, then links or renames it into place: no reader ever sees half a file. */
function writeKeyringFile(path: string, keyring: KeyringFile, replace: boolean): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(keyring, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (replace) renameSync(temporary, path);
    else linkSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Creates the keyring with one master key unless it exists; true when it was created now. */
export function ensureKeyringFile(path: string): boolean {
  if (existsSync(path)) return false;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeKeyringFile(path, { format: FORMAT, current: 1, keys: { 1: newMasterKey() } }, false);
    return true;
  } catch (error) {
    // Another process created it first (two starts at once): use theirs.
    if (errorCode(error) === 'EEXIST') return false;
    throw new KeyringError(`cannot create the keyring ${path}: ${errorCode(error)}`);
  }
}

function readKeyringFile(path: string): KeyringFile {
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new KeyringError(`cannot read the keyring ${path}: not a regular file`);
    // Security: a key file others can read or write is as good as published.
    if ((stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new KeyringError(`the keyring ${path} is open to other users (mode ${mode}); allow its owner only: chmod 600 ${path}`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof KeyringError) throw error;
    throw new KeyringError(`cannot read the keyring ${path}: ${errorCode(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyringError(`the keyring ${path} is malformed: not JSON`);
  }
  const parsed = ZKeyring.safeParse(json);
  if (!parsed.success) {
    // Paths and messages only: the values are key material.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'} ${issue.message}`).join('; ');
    throw new KeyringError(`the keyring ${path} is malformed: ${problems}`);
  }
  return parsed.data;
}

function loadKeyring(path: string): Keyring {
  const file = readKeyringFile(path);
  const masterKeys = new Map(Object.entries(file.keys).map(([version, entry]) => [Number(version), Buffer.from(entry.key, 'base64')]));
  return { current: file.current, masterKeys };
}

/**
 * Adds a master key and makes it the one new data keys are wrapped with; data keys wrapped under
 * older versions still unwrap. Running servers read the file at boot: restart them afterwards.
 */
export function rotateKeyringMasterKey(path: string): number {
  const file = readKeyringFile(path);
  const next = Math.max(...Object.keys(file.keys).map(Number)) + 1;
  writeKeyringFile(path, { ...file, current: next, keys: { ...file.keys, [next]: newMasterKey() } }, true);
  return next;
}

/** Binds a wrap to its organisation and master key, as KMS's encryption context does. */
function wrapContext(organizationId: string, keyId: string): Buffer {
  return Buffer.from(JSON.stringify(['restartix-data-key', organizationId, keyId]), 'utf8');
}

/** The provider over the keyring at `path`, created (0600) when missing. Throws KeyringError at once when unusable. */
export function createLocalKeyringProvider(path: string): KeyProvider {
  ensureKeyringFile(path);
  const keyring = loadKeyring(path);

  return {
    name: 'local-keyring',
    generateDataKey(organizationId: string): Promise<DataKey> {
      const keyId = `local-keyring:v${String(keyring.current)}`;
      const master = keyring.masterKeys.get(keyring.current);
      if (master === undefined) return Promise.reject(new KeyProviderError(`the keyring has no master key ${keyId}`));
      const plaintext = randomBytes(DATA_KEY_BYTES);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', master, iv).setAAD(wrapContext(organizationId, keyId));
      const wrapped = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
      return Promise.resolve({ plaintext, wrapped, keyId });
    },
    unwrap({ wrapped, keyId }: WrappedDataKey, organizationId: string): Promise<Buffer> {
      const version = KEY_ID.exec(keyId)?.[1];
      const master = version === undefined ? undefined : keyring.masterKeys.get(Number(version));
      if (master === undefined) {
        return Promise.reject(new KeyProviderError(`the local keyring has no master key ${keyId} (wrapped data key of organisation ${organizationId})`));
      }
      if (wrapped.length !== IV_BYTES + DATA_KEY_BYTES + TAG_BYTES) {
        return Promise.reject(new KeyProviderError(`the wrapped data key of organisation ${organizationId} is not a local-keyring wrap`));
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', master, wrapped.subarray(0, IV_BYTES)).setAAD(wrapContext(organizationId, keyId));
        decipher.setAuthTag(wrapped.subarray(IV_BYTES + DATA_KEY_BYTES));
        return Promise.resolve(Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES, IV_BYTES + DATA_KEY_BYTES)), decipher.final()]));
      } catch {
        return Promise.reject(new KeyProviderError(`the wrapped data key does not unwrap for organisation ${organizationId} under ${keyId}: it belongs to another organisation or was altered`));
      }
    },
  };
}
