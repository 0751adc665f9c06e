import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `live` keys are minted by production, `test` keys everywhere else; the prefix says which. */
export const KEY_ENVIRONMENTS = ['live', 'test'] as const;
export type KeyEnvironment = (typeof KEY_ENVIRONMENTS)[number];

/**
 * `rx_<env>_<8 hex>_<secret>`: the first three parts are the visible prefix (stored, listed, logged),
 * the secret is 32 random bytes in base64url (43 characters).
 */
const KEY_PATTERN = /^(rx_(?:live|test)_[0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;
const SECRET_BYTES = 32;

export type MintedKey = {
  /** The whole key: shown to its creator once, never stored. */
  key: string;
  prefix: string;
  secretHash: Buffer;
};

/**
 * SHA-256 of the whole key. Security: a fast hash is right for a 256-bit random secret (there is
 * nothing to brute-force); a password hash would only add CPU to every API request.
 */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function mintApiKey(environment: KeyEnvironment): MintedKey {
  const prefix = `rx_${environment}_${randomBytes(4).toString('hex')}`;
  const key = `${prefix}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { key, prefix, secretHash: hashApiKey(key) };
}

/** Whether a bearer credential is meant as an API key (rather than an access token). */
export function isApiKeyShaped(credential: string): boolean {
  return credential.startsWith('rx_');
}

/** The prefix of a well-formed key, or null. Says nothing about whether the key exists. */
export function apiKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

/** Constant-time comparison of two hashes. */
export function hashesMatch(presented: Buffer, stored: Buffer): boolean {
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
