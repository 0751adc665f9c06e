/**
 * How each `secret` column of db/data-classes.ts is stored: never the secret itself, but a one-way
 * hash or a ciphertext (docs/adr/0014-envelope-encryption.md). A secret column without an entry fails
 * db/secret-storage.test.ts; db/secret-storage.pg.test.ts checks each entry against the live
 * database (constraints, column types, values written by the real code paths) and that no table
 * holding a secret is replicated.
 */
export const SECRET_FORMS = {
  /** SHA-256 of a random 256-bit token, as bytea; a CHECK on its 32-byte length. Ours (api keys, invitations). */
  sha256: { kind: 'one-way' },
  /** better-auth's verification identifiers with `storeIdentifier: 'hashed'`: SHA-256, base64url. */
  'sha256-base64url': { kind: 'one-way' },
  /** better-auth's password hash: scrypt, `<salt hex>:<key hex>`. */
  scrypt: { kind: 'one-way' },
  /** Ours: `v1.<key version>.<iv>.<ciphertext>` under the organisation's data key; the encrypted_field domain. */
  'field-ciphertext': { kind: 'ciphertext' },
  /** A data key wrapped by the key provider (local keyring or AWS KMS). */
  'wrapped-data-key': { kind: 'ciphertext' },
  /** better-auth's own encryption: XChaCha20-Poly1305 under SHA-256(AUTH_TOKEN_SECRET), hex. */
  'better-auth-ciphertext': { kind: 'ciphertext' },
  /**
   * The one exception: better-auth 1.7 stores session tokens as they are and finds sessions by them.
   * The cookie that carries one must also carry its HMAC under AUTH_TOKEN_SECRET, so a token read
   * from the database does not open a session (tested from the attacker's side). ADR 0014.
   */
  'signed-session-token': { kind: 'signed-elsewhere' },
} as const satisfies Record<string, { kind: 'one-way' | 'ciphertext' | 'signed-elsewhere' }>;

export type SecretForm = keyof typeof SECRET_FORMS;

/** Keyed `table.column`, with the schema in front for tables outside `public` (as in DATA_CLASSES). */
export const SECRET_STORAGE: Record<string, SecretForm> = {
  'api_keys.secret_hash': 'sha256',
  'invitation_tokens.token_hash': 'sha256',
  'organization_keys.wrapped_key': 'wrapped-data-key',
  'auth.session.token': 'signed-session-token',
  // Written only by OAuth providers (none configured); `account.encryptOAuthTokens` is on.
  'auth.account.accessToken': 'better-auth-ciphertext',
  'auth.account.refreshToken': 'better-auth-ciphertext',
  'auth.account.idToken': 'better-auth-ciphertext',
  'auth.account.password': 'scrypt',
  'auth.verification.identifier': 'sha256-base64url',
  'auth.twoFactor.secret': 'better-auth-ciphertext',
  'auth.twoFactor.backupCodes': 'better-auth-ciphertext',
  'auth.jwks.privateKey': 'better-auth-ciphertext',
  // The outbox (server/events/event-secrets.ts): a clinic's events under its data key, the identity
  // service's mails under the identity service's own scheme.
  'domain_events.secret': 'field-ciphertext',
  'domain_events.identity_secret': 'better-auth-ciphertext',
};
