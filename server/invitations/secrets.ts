import { createHash, randomBytes, randomInt } from 'node:crypto';

/**
 * What an invitation link and a share-link carry. An invitation token is 32 random bytes in base64url
 * (43 characters); the database keeps its SHA-256 only. A share-link code is short enough to type
 * from a poster: 8 characters from an alphabet without 0 O 1 I L U, stored as printed (see
 * db/migrations/0006_invitations.sql for why it is not a secret).
 */

const TOKEN_BYTES = 32;
export const INVITATION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type MintedToken = { token: string; hash: Buffer };

/**
 * SHA-256 of the token. Security: a fast hash is right for a 256-bit random secret, as for API keys;
 * the lookup is by this hash, so the token itself never reaches the database or a log.
 */
export function hashInvitationToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function mintInvitationToken(): MintedToken {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashInvitationToken(token) };
}

export const SHARE_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SHARE_CODE_LENGTH = 8;
const SHARE_CODE_PATTERN = new RegExp(`^[${SHARE_CODE_ALPHABET}]{${String(SHARE_CODE_LENGTH)}}$`);

/** 30^8 ≈ 6.6 × 10^11 codes, drawn uniformly (randomInt has no modulo bias). */
export function mintShareCode(): string {
  let code = '';
  for (let i = 0; i < SHARE_CODE_LENGTH; i++) code += SHARE_CODE_ALPHABET[randomInt(SHARE_CODE_ALPHABET.length)];
  return code;
}

/** How people type it: any case, with spaces or a dash. Null when it cannot be a code. */
export function normaliseShareCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return SHARE_CODE_PATTERN.test(code) ? code : null;
}

/** How it is printed and shown: two groups of four, `ABCD-EFGH`. */
export function formatShareCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
