import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { symmetricDecrypt } from 'better-auth/crypto';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase, TEST_PASSWORDS, type TestDatabase } from '../infra/test/database.ts';
import { authMail } from '../server/auth/auth-mail.ts';
import { authOptions, createBetterAuth, type BetterAuth } from '../server/auth/better-auth.ts';
import { createEncryption } from '../server/crypto/encryption.ts';
import { createEventSecrets } from '../server/events/event-secrets.ts';
import { createLocalKeyringProvider } from '../server/crypto/local-keyring.ts';
import { createLogger } from '../server/logger.ts';
import { createOrganization } from '../seeds/factories.ts';
import { withCredentials } from './bootstrap.ts';
import { ROLES, SYNC_PUBLICATION } from './roles.ts';
import { SECRET_STORAGE, type SecretForm } from './secret-storage.ts';
import { cookieJar } from '../infra/test/cookie-jar.ts';

/**
 * Every secret column holds what db/secret-storage.ts says, in the live database: checked from the
 * schema where the database enforces the form, and otherwise from values the real code wrote (the
 * identity service's own flows, run here against this database). And none of them is replicated.
 */
let db: TestDatabase;
let authSql: Sql;
let auth: BetterAuth;
const SECRET = 'a-test-auth-secret-of-at-least-32-characters';
const BASE_URL = 'http://localhost:3999';
const PASSWORD = 'genunchi umar glezna cot';
const EMAIL = 'secret.storage@example.test';
const links: string[] = [];
const keyringDir = mkdtempSync(join(tmpdir(), 'secret-storage-'));

const [schemaOf, tableOf, columnOf] = [
  (key: string) => (key.split('.').length === 3 ? key.split('.')[0] ?? '' : 'public'),
  (key: string) => key.split('.').at(-2) ?? '',
  (key: string) => key.split('.').at(-1) ?? '',
];

/** A browser of better-auth: keeps its cookies, sends our Origin. Calls the handler directly, no server. */
function browser() {
  const jar = cookieJar();
  const { cookies } = jar;
  const send = async (path: string, body?: unknown, cookieOverride?: string) => {
    const response = await auth.handler(new Request(`${BASE_URL}/api/auth${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: {
        origin: BASE_URL,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        cookie: cookieOverride ?? jar.header(),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
    jar.absorb(response);
    return response;
  };
  return { send, cookies };
}

const lastLink = (pattern: RegExp): URL => {
  const link = links.filter((url) => pattern.test(url)).at(-1);
  if (link === undefined) throw new Error(`no link matching ${String(pattern)}`);
  return new URL(link);
};

const sha256Base64url = (text: string) => createHash('sha256').update(text).digest('base64url');

type Person = { backupCodes: string[]; totpURI: string; sessionCookie: string };
let person: Person;

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  authSql = postgres(withCredentials(db.urls.admin, ROLES.auth, TEST_PASSWORDS.auth), { max: 4, onnotice: () => undefined });
  const capture = (_email: string, url: string) => { links.push(url); return Promise.resolve(); };
  auth = createBetterAuth({
    log: createLogger('silent'), sql: authSql, baseURL: BASE_URL, secret: SECRET, trustedOrigins: [BASE_URL],
    sendMagicLink: capture, sendVerificationEmail: capture, sendResetPassword: capture,
  });

  // The identity service's own flows write every one of its secret columns.
  const client = browser();
  expect((await client.send('/sign-up/email', { email: EMAIL, password: PASSWORD, name: 'Secret Storage' })).status).toBe(200);
  const verify = lastLink(/verify-email/);
  expect((await client.send(`${verify.pathname.replace('/api/auth', '')}${verify.search}`)).status).toBeLessThan(400);
  expect((await client.send('/sign-in/email', { email: EMAIL, password: PASSWORD })).status).toBe(200);
  const sessionCookie = client.cookies.get('better-auth.session_token') ?? '';
  expect((await client.send('/token')).status).toBe(200);
  expect((await client.send('/sign-in/magic-link', { email: EMAIL, callbackURL: '/' })).status).toBe(200);
  expect((await client.send('/request-password-reset', { email: EMAIL, redirectTo: '/reset' })).status).toBe(200);
  const enabled = await client.send('/two-factor/enable', { password: PASSWORD });
  expect(enabled.status).toBe(200);
  const { backupCodes, totpURI } = (await enabled.json()) as { backupCodes: string[]; totpURI: string };
  person = { backupCodes, totpURI, sessionCookie };

  // Ours: an organisation's data key, through the key provider.
  const organizationId = await createOrganization(db.admin, { slug: 'secrets', name: 'Secrets' });
  const encryption = createEncryption({ sql: db.api, provider: createLocalKeyringProvider(join(keyringDir, 'keyring.json')), cache: { ttlMs: 60_000, maxEntries: 10 } });
  await encryption.encryptField(organizationId, { table: 't', column: 'c', rowId: randomUUID() }, 'x');
  // Ours: an identity mail's link in the outbox, as server/auth/auth-mail.ts records it (ADR 0015).
  await authMail(db.api, createEventSecrets({ encryption, identitySecret: SECRET })).sendResetPassword(EMAIL, `${BASE_URL}/api/auth/reset-password/outbox`);
});
afterAll(async () => {
  await authSql.end();
  await db.close();
  rmSync(keyringDir, { recursive: true, force: true });
});

async function valuesOf(key: string): Promise<string[]> {
  const rows = await db.admin<{ value: string | null }[]>`
    select ${db.admin(columnOf(key))}::text as value from ${db.admin(schemaOf(key))}.${db.admin(tableOf(key))}`;
  return rows.map((row) => row.value).filter((value): value is string => value !== null);
}

async function decryptsUnderAuthSecret(value: string): Promise<string> {
  return symmetricDecrypt({ key: SECRET, data: value });
}

/** What makes each form true, checked on this database; returns how many stored values were looked at. */
const CHECKS: Record<SecretForm, (key: string) => Promise<number>> = {
  async sha256(key) {
    const [column] = await db.admin<{ data_type: string; checks: string[] }[]>`
      select c.data_type,
        array(select pg_get_constraintdef(k.oid) from pg_constraint k
              where k.conrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass and k.contype = 'c') as checks
      from information_schema.columns c
      where c.table_schema = ${schemaOf(key)} and c.table_name = ${tableOf(key)} and c.column_name = ${columnOf(key)}`;
    expect(column?.data_type, key).toBe('bytea');
    expect(column?.checks.some((check) => check.includes(`octet_length(${columnOf(key)}) = 32`)), key).toBe(true);
    return 0;
  },
  async 'field-ciphertext'(key) {
    const [column] = await db.admin<{ domain_name: string | null }[]>`
      select domain_name from information_schema.columns
      where table_schema = ${schemaOf(key)} and table_name = ${tableOf(key)} and column_name = ${columnOf(key)}`;
    expect(column?.domain_name, key).toBe('encrypted_field');
    return 0;
  },
  async 'wrapped-data-key'(key) {
    const provider = createLocalKeyringProvider(join(keyringDir, 'keyring.json'));
    const rows = await db.admin<{ organization_id: string; key_id: string; wrapped_key: Buffer }[]>`select organization_id, key_id, wrapped_key from organization_keys`;
    for (const row of rows) expect(await provider.unwrap({ wrapped: row.wrapped_key, keyId: row.key_id }, row.organization_id), key).toHaveLength(32);
    return rows.length;
  },
  async 'better-auth-ciphertext'(key) {
    const values = await valuesOf(key);
    for (const value of values) {
      // The JWT plugin stores its encrypted private key as a JSON string.
      const ciphertext = key === 'auth.jwks.privateKey' ? JSON.parse(value) as string : value;
      expect(ciphertext, key).toMatch(/^[0-9a-f]{80,}$/);
      const plaintext = await decryptsUnderAuthSecret(ciphertext);
      expect(plaintext, key).not.toBe(ciphertext);
      if (key === 'auth.twoFactor.backupCodes') expect(JSON.parse(plaintext)).toEqual(person.backupCodes);
      if (key === 'auth.jwks.privateKey') expect(JSON.parse(plaintext)).toMatchObject({ kty: 'OKP', crv: 'Ed25519', d: expect.any(String) as string });
      if (key === 'auth.twoFactor.secret') expect(person.totpURI).not.toContain(value);
    }
    if (['auth.account.accessToken', 'auth.account.refreshToken', 'auth.account.idToken'].includes(key)) {
      // No OAuth provider is configured, so nothing writes these; should one be added, they are encrypted.
      expect(values, key).toEqual([]);
      const options = authOptions({ log: createLogger('silent'), sql: authSql, baseURL: BASE_URL, secret: SECRET, trustedOrigins: [], sendMagicLink: () => Promise.resolve(), sendVerificationEmail: () => Promise.resolve(), sendResetPassword: () => Promise.resolve() });
      expect(options.account.encryptOAuthTokens).toBe(true);
      return 1;
    }
    return values.length;
  },
  async scrypt(key) {
    const values = await valuesOf(key);
    for (const value of values) expect(value, key).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    expect(values.join()).not.toContain(PASSWORD);
    return values.length;
  },
  async 'sha256-base64url'(key) {
    const values = await valuesOf(key);
    for (const value of values) expect(value, key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The tokens of the reset and magic links are in the mails only; the database has their hashes.
    const resetToken = lastLink(/reset-password/).pathname.split('/').at(-1) ?? '';
    const magicToken = lastLink(/magic-link/).searchParams.get('token') ?? '';
    expect(resetToken.length).toBeGreaterThan(10);
    expect(magicToken.length).toBeGreaterThan(10);
    expect(values).toContain(sha256Base64url(`reset-password:${resetToken}`));
    expect(values).toContain(sha256Base64url(`magic-link:${magicToken}`));
    const everything = (await db.admin<{ row: string }[]>`select row_to_json(v)::text as row from auth.verification v`).map((r) => r.row).join('\n');
    expect(everything).not.toContain(resetToken);
    expect(everything).not.toContain(magicToken);
    return values.length;
  },
  async 'signed-session-token'(key) {
    const values = await valuesOf(key);
    for (const value of values) expect(value, key).toMatch(/^[A-Za-z0-9]{32}$/);
    // The attacker holds every token in the table, but not AUTH_TOKEN_SECRET.
    const attacker = browser();
    for (const token of values) {
      for (const forged of [token, `${token}.${'A'.repeat(43)}=`]) {
        const response = await attacker.send('/get-session', undefined, `better-auth.session_token=${encodeURIComponent(forged)}`);
        expect(await response.json(), 'a session opened by a token from the database').toBeNull();
      }
    }
    // The person's own signed cookie does open theirs: the refusals above are not a broken endpoint.
    const own = await attacker.send('/get-session', undefined, `better-auth.session_token=${person.sessionCookie}`);
    expect(await own.json()).toMatchObject({ user: { email: EMAIL } });
    return values.length;
  },
};

describe('secret columns', () => {
  it('hold what db/secret-storage.ts declares, in values the real code wrote', async () => {
    for (const [key, form] of Object.entries(SECRET_STORAGE)) {
      const looked = await CHECKS[form](key);
      // A check over zero values proves nothing, except where the schema itself enforces the form.
      if (form !== 'sha256' && form !== 'field-ciphertext') expect(looked, `${key}: no value was written to check`).toBeGreaterThan(0);
    }
  });

  it('live in tables that are never replicated, and zero-cache cannot read them', async () => {
    const published = await db.admin<{ schemaname: string; tablename: string }[]>`
      select schemaname, tablename from pg_publication_tables where pubname = ${SYNC_PUBLICATION}`;
    const publishedTables = published.map((row) => (row.schemaname === 'public' ? row.tablename : `${row.schemaname}.${row.tablename}`));
    expect(publishedTables.length).toBeGreaterThan(0);
    for (const key of Object.keys(SECRET_STORAGE)) {
      const table = schemaOf(key) === 'public' ? tableOf(key) : `${schemaOf(key)}.${tableOf(key)}`;
      expect(publishedTables, key).not.toContain(table);
      const [privilege] = await db.admin<{ readable: boolean }[]>`
        select has_column_privilege(${ROLES.zero}, ${`${schemaOf(key)}."${tableOf(key)}"`}, ${columnOf(key)}, 'SELECT') as readable`;
      expect(privilege?.readable, `${key} readable by zero-cache`).toBe(false);
    }
  });
});
