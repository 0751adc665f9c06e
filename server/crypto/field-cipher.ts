import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DATA_KEY_BYTES } from './key-provider.ts';

/**
 * The format of every encrypted field: `v1.<key version>.<iv>.<ciphertext + tag>`, the last two in
 * base64url. AES-256-GCM under the organisation's data key of that version, with a fresh 96-bit IV
 * per value. The additional authenticated data binds the value to its organisation, table, column
 * and row (and to the format and key version), so a ciphertext copied anywhere else (another
 * clinic's row, another row, another column) fails authentication instead of decrypting.
 *
 * The key is identified by the organisation (from the row, bound by the AAD) and the version (in
 * the text); organization_keys maps the pair to the provider's wrapped key and master key id.
 */

export type FieldContext = { table: string; column: string; rowId: string };

export const FIELD_FORMAT = 'v1';
/** Kept in step with the encrypted_field domain (db/migrations/0013_organization_keys.sql). */
export const FIELD_CIPHERTEXT = /^v1\.([1-9][0-9]{0,6})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type DecryptionFailure = 'malformed' | 'unknown-key-version' | 'not-authentic';

export class DecryptionError extends Error {
  override name = 'DecryptionError';
  constructor(readonly reason: DecryptionFailure, message: string) {
    super(message);
  }
}

const where = (organizationId: string, context: FieldContext) =>
  `${context.table}.${context.column} of row ${context.rowId} (organisation ${organizationId})`;

function additionalData(organizationId: string, context: FieldContext, keyVersion: number): Buffer {
  // A JSON array: unambiguous whatever the parts contain.
  return Buffer.from(JSON.stringify(['restartix-field', FIELD_FORMAT, organizationId, context.table, context.column, context.rowId, keyVersion]), 'utf8');
}

function requireKey(key: Buffer): void {
  if (key.length !== DATA_KEY_BYTES) throw new Error('a data key is 32 bytes');
}

/** The key version a ciphertext names, without decrypting it; null when it is not in our format. */
export function keyVersionOf(ciphertext: string): number | null {
  const match = FIELD_CIPHERTEXT.exec(ciphertext);
  return match?.[1] === undefined ? null : Number(match[1]);
}

export function sealField(key: Buffer, keyVersion: number, organizationId: string, context: FieldContext, plaintext: string): string {
  requireKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(additionalData(organizationId, context, keyVersion));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${FIELD_FORMAT}.${String(keyVersion)}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** Parses first (so the caller can fetch the right key version), then opens with that key. */
export function parseField(organizationId: string, context: FieldContext, ciphertext: string): { keyVersion: number; iv: Buffer; sealed: Buffer } {
  const match = FIELD_CIPHERTEXT.exec(ciphertext);
  const [, version, iv, sealed] = match ?? [];
  if (version === undefined || iv === undefined || sealed === undefined) {
    throw new DecryptionError('malformed', `${where(organizationId, context)} is not an encrypted field (expected v1.<key version>.<iv>.<data>)`);
  }
  const parsed = { keyVersion: Number(version), iv: Buffer.from(iv, 'base64url'), sealed: Buffer.from(sealed, 'base64url') };
  // One text per value: base64url's unused trailing bits must be zero, so no altered text decrypts.
  if (parsed.iv.toString('base64url') !== iv || parsed.sealed.toString('base64url') !== sealed) {
    throw new DecryptionError('malformed', `${where(organizationId, context)} is not an encrypted field (non-canonical base64url)`);
  }
  return parsed;
}

export function openField(key: Buffer, organizationId: string, context: FieldContext, parsed: { keyVersion: number; iv: Buffer; sealed: Buffer }): string {
  requireKey(key);
  const { keyVersion, iv, sealed } = parsed;
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) {
    throw new DecryptionError('malformed', `${where(organizationId, context)} is not an encrypted field (truncated)`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(additionalData(organizationId, context, keyVersion));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError('not-authentic',
      `${where(organizationId, context)} does not decrypt under data key version ${String(keyVersion)}: ` +
      'it was encrypted for another organisation, row or column, or it was altered');
  }
}
