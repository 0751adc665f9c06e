import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecryptCommand, GenerateDataKeyCommand, InvalidCiphertextException, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withCredentials } from '../../db/bootstrap.ts';
import { ROLES } from '../../db/roles.ts';
import { asPrincipal, freshDatabase, TEST_PASSWORDS, type TestDatabase } from '../../infra/test/database.ts';
import { addMembership, createHuman, createOrganization } from '../../seeds/factories.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { stopActing } from '../db-scope.ts';
import { createKmsKeyProvider, KMS_PURPOSE } from './aws-kms.ts';
import { createEncryption, type Encryption, type FieldContext } from './encryption.ts';
import { DecryptionError } from './field-cipher.ts';
import { KeyProviderError, type KeyProvider } from './key-provider.ts';
import { createLocalKeyringProvider } from './local-keyring.ts';
import { reencryptColumn } from './reencrypt-column.ts';

/**
 * Envelope encryption on a real database: data keys in organization_keys, values in a table of
 * encrypted_field columns, and an attacker who can write that table (a leaked backup restored
 * elsewhere, a compromised admin connection) but not the key provider.
 */
let db: TestDatabase;
let orgA: string;
let orgB: string;
let admin: AuthContext;
const keyringDir = mkdtempSync(join(tmpdir(), 'encryption-'));
const local = createLocalKeyringProvider(join(keyringDir, 'keyring.json'));
const TTL = 300_000;

/** The real provider, counted: how often a key is generated or unwrapped. */
function counted(provider: KeyProvider) {
  const calls = { generate: 0, unwrap: 0 };
  const wrapper: KeyProvider = {
    name: provider.name,
    generateDataKey: (organizationId) => { calls.generate += 1; return provider.generateDataKey(organizationId); },
    unwrap: (key, organizationId) => { calls.unwrap += 1; return provider.unwrap(key, organizationId); },
  };
  return { provider: wrapper, calls };
}

/** One core API server: its own cache and clock, the shared database. */
function server(options: { provider?: KeyProvider; maxEntries?: number } = {}) {
  const clock = { now: 1_000_000 };
  const { provider, calls } = counted(options.provider ?? local);
  const encryption = createEncryption({ sql: db.api, provider, cache: { ttlMs: TTL, maxEntries: options.maxEntries ?? 100 }, now: () => clock.now });
  return { encryption, calls, clock };
}

type Table = 'integration_secrets' | 'rotated_secrets';
const secretOf = (id: string, table: Table = 'integration_secrets'): FieldContext => ({ table, column: 'token', rowId: id });

async function stored(id: string, table: Table = 'integration_secrets'): Promise<string> {
  const [row] = await db.admin<{ token: string }[]>`select token from ${db.admin(table)} where id = ${id}`;
  if (row === undefined) throw new Error(`no row ${id}`);
  return row.token;
}

async function insertSecret(encryption: Encryption, organizationId: string, plaintext: string, table: Table = 'integration_secrets'): Promise<string> {
  const id = randomUUID();
  const token = await encryption.encryptField(organizationId, secretOf(id, table), plaintext);
  await db.admin`insert into ${db.admin(table)} (id, organization_id, token) values (${id}, ${organizationId}, ${token})`;
  return id;
}

async function decryptionFailure(work: Promise<unknown>): Promise<DecryptionError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DecryptionError) return error;
    throw error;
  }
  throw new Error('it decrypted');
}

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  orgA = await createOrganization(db.admin, { slug: 'clinica-a', name: 'Clinica A' });
  orgB = await createOrganization(db.admin, { slug: 'clinica-b', name: 'Clinica B' });
  const owner = await createHuman(db.admin, { email: 'owner@a.test', name: 'Owner A' });
  await addMembership(db.admin, orgA, owner, 'owner');
  admin = { principalId: owner, organizationId: orgA, membershipRole: 'owner', platformRole: null };
  // A feature table as a migration would declare it: the column refuses anything but our format.
  await db.admin`create table integration_secrets (
    id uuid primary key, organization_id uuid not null references organizations (id), token encrypted_field, backup_token encrypted_field)`;
  await db.admin`create table rotated_secrets (id uuid primary key, organization_id uuid not null references organizations (id), token encrypted_field)`;
});
afterAll(async () => {
  await db.close();
  rmSync(keyringDir, { recursive: true, force: true });
});

describe('field encryption', () => {
  it('round-trips a value, creating the organisation\'s first data key, stored wrapped', async () => {
    const { encryption } = server();
    const id = await insertSecret(encryption, orgA, 'whsec_2f8a9c');
    const token = await stored(id);
    expect(token).toMatch(/^v1\.1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/);
    expect(token).not.toContain('whsec');
    expect(await encryption.decryptField(orgA, secretOf(id), token)).toBe('whsec_2f8a9c');
    // A second server, with an empty cache, reads it through the stored wrapped key.
    expect(await server().encryption.decryptField(orgA, secretOf(id), token)).toBe('whsec_2f8a9c');

    const keys = await db.admin<{ version: number; provider: string; key_id: string; wrapped_key: Buffer; retired_at: Date | null }[]>`
      select version, provider, key_id, wrapped_key, retired_at from organization_keys where organization_id = ${orgA}`;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ version: 1, provider: 'local-keyring', key_id: 'local-keyring:v1', retired_at: null });
    expect(keys[0]?.wrapped_key).toHaveLength(60);
  });

  it('refuses plaintext in an encrypted_field column', async () => {
    await expect(db.admin`insert into integration_secrets (id, organization_id, token) values (${randomUUID()}, ${orgA}, 'whsec_2f8a9c')`)
      .rejects.toThrow(/encrypted_field/);
  });

  it('fails to decrypt a ciphertext moved to another organisation\'s row, with a clear error', async () => {
    const { encryption } = server();
    const theirs = await insertSecret(encryption, orgA, 'clinic A integration token');
    const mine = await insertSecret(encryption, orgB, 'clinic B integration token');
    // The attacker copies clinic A's value into their own clinic's row.
    await db.admin`update integration_secrets set token = ${await stored(theirs)} where id = ${mine}`;
    const error = await decryptionFailure(encryption.decryptField(orgB, secretOf(mine), await stored(mine)));
    expect(error.reason).toBe('not-authentic');
    expect(error.message).toBe(
      `integration_secrets.token of row ${mine} (organisation ${orgB}) does not decrypt under data key version 1: ` +
      'it was encrypted for another organisation, row or column, or it was altered');
    expect(error.message).not.toContain('clinic A');
  });

  it('fails for a ciphertext moved to another row or column of the same organisation', async () => {
    const { encryption } = server();
    const first = await insertSecret(encryption, orgA, 'first');
    const second = await insertSecret(encryption, orgA, 'second');
    await db.admin`update integration_secrets set token = ${await stored(first)}, backup_token = ${await stored(second)} where id = ${second}`;
    expect((await decryptionFailure(encryption.decryptField(orgA, secretOf(second), await stored(second)))).reason).toBe('not-authentic');
    const [row] = await db.admin<{ backup_token: string }[]>`select backup_token from integration_secrets where id = ${second}`;
    const backup = { table: 'integration_secrets', column: 'backup_token', rowId: second };
    expect((await decryptionFailure(encryption.decryptField(orgA, backup, row?.backup_token ?? ''))).reason).toBe('not-authentic');
  });

  it('fails for a ciphertext of an organisation that has no such key, and for a tampered one', async () => {
    const { encryption } = server();
    const orgC = await createOrganization(db.admin, { slug: 'clinica-c', name: 'Clinica C' });
    const id = await insertSecret(encryption, orgA, 'value');
    const token = await stored(id);
    const unknown = await decryptionFailure(encryption.decryptField(orgC, secretOf(id), token));
    expect(unknown.reason).toBe('unknown-key-version');
    expect(unknown.message).toBe(`organisation ${orgC} has no data key version 1`);

    const parts = token.split('.');
    const data = Buffer.from(parts[3] ?? '', 'base64url');
    data[0] = (data[0] ?? 0) ^ 0x04;
    const tampered = [...parts.slice(0, 3), data.toString('base64url')].join('.');
    await db.admin`update integration_secrets set token = ${tampered} where id = ${id}`;
    expect((await decryptionFailure(encryption.decryptField(orgA, secretOf(id), await stored(id)))).reason).toBe('not-authentic');
  });
});

describe('key rotation', () => {
  it('encrypts under the new version at once, keeps old values readable, and re-encryption moves them', async () => {
    const { encryption } = server();
    const orgR = await createOrganization(db.admin, { slug: 'clinica-r', name: 'Clinica R' });
    const [one = '', two = '', three = ''] = await Promise.all(['one', 'two', 'three'].map((text) => insertSecret(encryption, orgR, text, 'rotated_secrets')));
    const untouched = await insertSecret(encryption, orgA, 'another clinic, not rotated', 'rotated_secrets');
    const untouchedBefore = await stored(untouched, 'rotated_secrets');
    // A value an attacker moved here from another row: reported, left alone, and the job goes on.
    const moved = await insertSecret(encryption, orgR, 'elsewhere', 'rotated_secrets');
    await db.admin`update rotated_secrets set token = ${await stored(one, 'rotated_secrets')} where id = ${moved}`;

    expect(await encryption.rotateOrganizationKey(orgR)).toBe(2);
    const fresh = await insertSecret(encryption, orgR, 'four', 'rotated_secrets');
    expect((await stored(fresh, 'rotated_secrets')).startsWith('v1.2.')).toBe(true);
    for (const [id, text] of [[one, 'one'], [two, 'two'], [three, 'three']] as const) {
      expect((await stored(id, 'rotated_secrets')).startsWith('v1.1.')).toBe(true);
      expect(await encryption.decryptField(orgR, secretOf(id, 'rotated_secrets'), await stored(id, 'rotated_secrets'))).toBe(text);
    }

    const target = { table: 'rotated_secrets', column: 'token' };
    const report = await reencryptColumn(db.admin, encryption, target, { batchSize: 2 });
    expect(report).toEqual({ scanned: 6, reencrypted: 3, changedMeanwhile: 0, undecryptable: [moved] });
    for (const [id, text] of [[one, 'one'], [two, 'two'], [three, 'three'], [fresh, 'four']] as const) {
      expect((await stored(id, 'rotated_secrets')).startsWith('v1.2.')).toBe(true);
      expect(await server().encryption.decryptField(orgR, secretOf(id, 'rotated_secrets'), await stored(id, 'rotated_secrets'))).toBe(text);
    }
    // Other clinics' values were only read; a second run finds nothing to move.
    expect(await stored(untouched, 'rotated_secrets')).toBe(untouchedBefore);
    expect((await stored(moved, 'rotated_secrets')).startsWith('v1.1.')).toBe(true);
    expect(await reencryptColumn(db.admin, encryption, target)).toEqual({ scanned: 6, reencrypted: 0, changedMeanwhile: 0, undecryptable: [moved] });

    const keys = await db.admin<{ version: number; retired: boolean }[]>`
      select version, retired_at is not null as retired from organization_keys where organization_id = ${orgR} order by version`;
    expect(keys).toEqual([{ version: 1, retired: true }, { version: 2, retired: false }]);
  });

  it('reaches another server when its cached current version expires; both read both versions meanwhile', async () => {
    const orgS = await createOrganization(db.admin, { slug: 'clinica-s', name: 'Clinica S' });
    const one = server();
    const two = server();
    const before = await insertSecret(two.encryption, orgS, 'before');
    expect(await one.encryption.rotateOrganizationKey(orgS)).toBe(2);

    const stale = await insertSecret(two.encryption, orgS, 'written by a server that has not seen the rotation');
    expect((await stored(stale)).startsWith('v1.1.')).toBe(true);
    const rotated = await insertSecret(one.encryption, orgS, 'after');
    expect(await two.encryption.decryptField(orgS, secretOf(rotated), await stored(rotated))).toBe('after');
    expect(await one.encryption.decryptField(orgS, secretOf(stale), await stored(stale))).toBe('written by a server that has not seen the rotation');

    two.clock.now += TTL;
    const later = await insertSecret(two.encryption, orgS, 'later');
    expect((await stored(later)).startsWith('v1.2.')).toBe(true);
    expect(await two.encryption.decryptField(orgS, secretOf(before), await stored(before))).toBe('before');
  });

  it('makes retirement final and never lets the server delete a key', async () => {
    const orgF = await createOrganization(db.admin, { slug: 'clinica-f', name: 'Clinica F' });
    const { encryption } = server();
    await encryption.rotateOrganizationKey(orgF);
    await encryption.rotateOrganizationKey(orgF);
    await expect(db.admin`update organization_keys set retired_at = now() where organization_id = ${orgF} and version = 1`).rejects.toThrow(/already retired/);
    await expect(db.admin`update organization_keys set retired_at = null where organization_id = ${orgF} and version = 1`).rejects.toThrow(/already retired/);
    await expect(db.api`delete from organization_keys`).rejects.toThrow(/permission denied/);
    await expect(db.api`update organization_keys set wrapped_key = '\\x00'`).rejects.toThrow(/permission denied/);
  });
});

describe('the data key cache', () => {
  it('unwraps once per time limit, then again after it expires', async () => {
    const writer = server();
    const id = await insertSecret(writer.encryption, orgA, 'cached');
    const token = await stored(id);
    const reader = server();
    for (let read = 0; read < 3; read++) expect(await reader.encryption.decryptField(orgA, secretOf(id), token)).toBe('cached');
    expect(reader.calls).toEqual({ generate: 0, unwrap: 1 });
    reader.clock.now += TTL - 1;
    await reader.encryption.decryptField(orgA, secretOf(id), token);
    expect(reader.calls.unwrap).toBe(1);
    reader.clock.now += 1;
    expect(await reader.encryption.decryptField(orgA, secretOf(id), token)).toBe('cached');
    expect(reader.calls.unwrap).toBe(2);
  });

  it('holds a bounded number of keys, and unwraps once for many concurrent misses', async () => {
    const writer = server();
    const a = await insertSecret(writer.encryption, orgA, 'a');
    const b = await insertSecret(writer.encryption, orgB, 'b');
    const reader = server({ maxEntries: 1 });
    await Promise.all(Array.from({ length: 20 }, async () => reader.encryption.decryptField(orgA, secretOf(a), await stored(a))));
    expect(reader.calls.unwrap).toBe(1);
    await reader.encryption.decryptField(orgB, secretOf(b), await stored(b));
    await reader.encryption.decryptField(orgA, secretOf(a), await stored(a));
    expect(reader.calls.unwrap).toBe(3);
  });

  it('creates one first key when two servers start encrypting for a clinic at the same moment', async () => {
    const orgN = await createOrganization(db.admin, { slug: 'clinica-n', name: 'Clinica N' });
    const one = server();
    const two = server();
    const [x, y] = await Promise.all([insertSecret(one.encryption, orgN, 'x'), insertSecret(two.encryption, orgN, 'y')]);
    expect(await one.encryption.decryptField(orgN, secretOf(y), await stored(y))).toBe('y');
    expect(await two.encryption.decryptField(orgN, secretOf(x), await stored(x))).toBe('x');
    const [count] = await db.admin<{ n: number }[]>`select count(*)::int as n from organization_keys where organization_id = ${orgN}`;
    expect(count?.n).toBe(1);
  });
});

describe('who can reach organization_keys', () => {
  it('is the server login outside any request only: not the runtime role, not a request, not zero-cache or the identity service', async () => {
    expect((await db.api`select count(*)::int as n from organization_keys`)[0]?.n).toBeGreaterThan(0);
    await expect(asPrincipal(db.api, admin, (tx) => tx`select * from organization_keys`)).rejects.toThrow(/permission denied/);
    // Inside a request's transaction, even back on the login role (a Zero mutate after stopActing()).
    const [seen] = await asPrincipal(db.api, admin, async (tx) => {
      await stopActing(tx);
      return tx<{ n: number }[]>`select count(*)::int as n from organization_keys`;
    });
    expect(seen?.n).toBe(0);
    await expect(asPrincipal(db.api, admin, async (tx) => {
      await stopActing(tx);
      await tx`insert into organization_keys (organization_id, version, provider, key_id, wrapped_key)
        values (${orgA}, 99, 'local-keyring', 'local-keyring:v1', ${randomBytes(60)})`;
    })).rejects.toThrow(/row-level security/);
    for (const [role, password] of [[ROLES.zero, TEST_PASSWORDS.zero], [ROLES.auth, TEST_PASSWORDS.auth]] as const) {
      const other = postgres(withCredentials(db.urls.admin, role, password), { max: 1, onnotice: () => undefined });
      try {
        await expect(other`select * from organization_keys`, role).rejects.toThrow(/permission denied/);
      } finally {
        await other.end();
      }
    }
  });
});

describe('with AWS KMS (stubbed: KMS cannot run here)', () => {
  const KEY_ARN = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const client = new KMSClient({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' } });
  const kms = mockClient(client);
  const provider = createKmsKeyProvider({ client, keyId: 'alias/restartix-data-keys' });

  it('stores what GenerateDataKey wrapped and sends exactly that back to Decrypt, bound to the clinic', async () => {
    const orgK = await createOrganization(db.admin, { slug: 'clinica-k', name: 'Clinica K' });
    const plaintext = randomBytes(32);
    const blob = randomBytes(184);
    kms.reset();
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: plaintext, CiphertextBlob: blob, KeyId: KEY_ARN });
    kms.on(DecryptCommand).resolves({ Plaintext: plaintext, KeyId: KEY_ARN });
    const writer = server({ provider });
    const id = await insertSecret(writer.encryption, orgK, 'kms-protected');
    const [key] = await db.admin<{ provider: string; key_id: string; wrapped_key: Buffer }[]>`
      select provider, key_id, wrapped_key from organization_keys where organization_id = ${orgK}`;
    expect(key).toEqual({ provider: 'aws-kms', key_id: KEY_ARN, wrapped_key: blob });

    const reader = server({ provider });
    expect(await reader.encryption.decryptField(orgK, secretOf(id), await stored(id))).toBe('kms-protected');
    expect(kms.commandCalls(DecryptCommand).map((call) => call.args[0].input)).toEqual([{
      CiphertextBlob: blob, KeyId: KEY_ARN, EncryptionContext: { purpose: KMS_PURPOSE, organization_id: orgK }, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    }]);

    kms.on(DecryptCommand).rejects(new InvalidCiphertextException({ message: 'The ciphertext is invalid', $metadata: {} }));
    await expect(server({ provider }).encryption.decryptField(orgK, secretOf(id), await stored(id))).rejects.toThrow(KeyProviderError);
  });

  it('says which provider wrapped a key when the server is configured with another', async () => {
    const id = await insertSecret(server().encryption, orgA, 'local');
    await expect(server({ provider }).encryption.decryptField(orgA, secretOf(id), await stored(id)))
      .rejects.toThrow('data key version 1 of organisation ' + orgA + ' was wrapped by local-keyring, but this server uses aws-kms');
  });
});
