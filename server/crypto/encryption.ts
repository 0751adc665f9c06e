import type { Sql } from 'postgres';
import { DecryptionError, keyVersionOf, openField, parseField, sealField, type FieldContext } from './field-cipher.ts';
import { KeyProviderError, type KeyProvider } from './key-provider.ts';
import { currentKey, insertFirstKey, insertNextKey, keyOfVersion, type StoredKey } from './organization-keys.ts';
import { createTtlCache, type Clock } from './ttl-cache.ts';

export type { FieldContext } from './field-cipher.ts';

/**
 * Field encryption for the rest of the server (docs/adr/0014-envelope-encryption.md): what a module
 * takes as a dependency to store a secret-class value. Values are encrypted under the organisation's
 * current data key and decrypt under whichever version they name, so rotation needs no downtime.
 *
 * `context` names where the value lives (table, column, the row's id); the same context must be
 * given to decrypt, which is what makes a value copied to another row, column or organisation fail.
 * Ids are chosen before the insert (randomUUID()), as elsewhere in the server.
 */
export type Encryption = {
  encryptField(organizationId: string, context: FieldContext, plaintext: string): Promise<string>;
  decryptField(organizationId: string, context: FieldContext, ciphertext: string): Promise<string>;
  /** The value under the current key version, or null when it is already there (nothing to write). */
  reencryptField(organizationId: string, context: FieldContext, ciphertext: string): Promise<string | null>;
  /** Makes a new data key version current; older versions keep decrypting. Returns the new version. */
  rotateOrganizationKey(organizationId: string): Promise<number>;
};

export type EncryptionDeps = {
  /** The server's own login (restartix_api), never inside a principal's transaction. */
  sql: Sql;
  provider: KeyProvider;
  cache: { ttlMs: number; maxEntries: number };
  now?: Clock;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireOrganizationId(organizationId: string): void {
  if (!UUID.test(organizationId)) throw new Error('an organisation id is a uuid');
}

export function createEncryption(deps: EncryptionDeps): Encryption {
  const { sql, provider } = deps;
  const cacheOptions = { ...deps.cache, ...(deps.now === undefined ? {} : { now: deps.now }) };
  // `<org>:<version>` → unwrapped data key; `<org>` → its current version.
  const keys = createTtlCache<Buffer>(cacheOptions);
  const currentVersions = createTtlCache<number>(cacheOptions);
  // One provider call per key at a time, however many requests miss the cache together.
  const loading = new Map<string, Promise<unknown>>();

  function once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const pending = loading.get(key);
    if (pending !== undefined) return pending as Promise<T>;
    const started = load().finally(() => { loading.delete(key); });
    loading.set(key, started);
    return started;
  }

  async function unwrapStored(organizationId: string, key: StoredKey): Promise<Buffer> {
    if (key.provider !== provider.name) {
      throw new KeyProviderError(`data key version ${String(key.version)} of organisation ${organizationId} was wrapped by ${key.provider}, but this server uses ${provider.name}`);
    }
    const plaintext = await provider.unwrap({ wrapped: key.wrappedKey, keyId: key.keyId }, organizationId);
    keys.set(`${organizationId}:${String(key.version)}`, plaintext);
    return plaintext;
  }

  async function keyFor(organizationId: string, version: number): Promise<Buffer> {
    const cached = keys.get(`${organizationId}:${String(version)}`);
    if (cached !== undefined) return cached;
    return once(`key:${organizationId}:${String(version)}`, async () => {
      const stored = await keyOfVersion(sql, organizationId, version);
      if (stored === null) throw new DecryptionError('unknown-key-version', `organisation ${organizationId} has no data key version ${String(version)}`);
      return unwrapStored(organizationId, stored);
    });
  }

  /** The current version and its key; the organisation's first use creates version 1. */
  async function currentFor(organizationId: string): Promise<{ version: number; key: Buffer }> {
    const version = currentVersions.get(organizationId);
    if (version !== undefined) return { version, key: await keyFor(organizationId, version) };
    return once(`current:${organizationId}`, async () => {
      let stored = await currentKey(sql, organizationId);
      if (stored === null) {
        const generated = await provider.generateDataKey(organizationId);
        stored = await insertFirstKey(sql, organizationId, provider.name, generated);
        if (stored !== null) keys.set(`${organizationId}:1`, generated.plaintext);
        // Another server stored version 1 first: use theirs.
        stored ??= await currentKey(sql, organizationId);
        if (stored === null) throw new Error(`organisation ${organizationId} has no current data key`);
      }
      currentVersions.set(organizationId, stored.version);
      const key = keys.get(`${organizationId}:${String(stored.version)}`) ?? await unwrapStored(organizationId, stored);
      return { version: stored.version, key };
    });
  }

  async function decryptField(organizationId: string, context: FieldContext, ciphertext: string): Promise<string> {
    requireOrganizationId(organizationId);
    const parsed = parseField(organizationId, context, ciphertext);
    const key = await keyFor(organizationId, parsed.keyVersion);
    return openField(key, organizationId, context, parsed);
  }

  return {
    async encryptField(organizationId, context, plaintext) {
      requireOrganizationId(organizationId);
      const { version, key } = await currentFor(organizationId);
      return sealField(key, version, organizationId, context, plaintext);
    },
    decryptField,
    async reencryptField(organizationId, context, ciphertext) {
      requireOrganizationId(organizationId);
      const plaintext = await decryptField(organizationId, context, ciphertext);
      const { version, key } = await currentFor(organizationId);
      if (keyVersionOf(ciphertext) === version) return null;
      return sealField(key, version, organizationId, context, plaintext);
    },
    async rotateOrganizationKey(organizationId) {
      requireOrganizationId(organizationId);
      const generated = await provider.generateDataKey(organizationId);
      const stored = await insertNextKey(sql, organizationId, provider.name, generated);
      keys.set(`${organizationId}:${String(stored.version)}`, generated.plaintext);
      currentVersions.set(organizationId, stored.version);
      return stored.version;
    },
  };
}
