import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, FIELD_CIPHERTEXT, keyVersionOf, openField, parseField, sealField, type FieldContext } from './field-cipher.ts';

const key = randomBytes(32);
const org = randomUUID();
const here: FieldContext = { table: 'webhooks', column: 'signing_secret', rowId: randomUUID() };

const open = (ciphertext: string, context = here, organizationId = org, withKey = key) =>
  openField(withKey, organizationId, context, parseField(organizationId, context, ciphertext));

function failure(run: () => unknown): DecryptionError {
  try {
    run();
  } catch (error) {
    if (error instanceof DecryptionError) return error;
    throw error;
  }
  throw new Error('it decrypted');
}

/** Flips one bit of the decoded data and re-encodes it canonically: what an attacker with the database can do. */
function flipped(ciphertext: string, part: 2 | 3, byte: number): string {
  const parts = ciphertext.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  bytes[byte] = (bytes[byte] ?? 0) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('encrypted fields', () => {
  it('round-trips any text, with a fresh IV each time, in the self-describing format', () => {
    for (const text of ['', 'whsec_live_4f9', 'Ștefan Țurcanu — ﬁ 🔑', 'x'.repeat(10_000)]) {
      const ciphertext = sealField(key, 3, org, here, text);
      expect(ciphertext).toMatch(FIELD_CIPHERTEXT);
      expect(ciphertext.startsWith('v1.3.')).toBe(true);
      expect(keyVersionOf(ciphertext)).toBe(3);
      expect(open(ciphertext)).toBe(text);
    }
    expect(sealField(key, 1, org, here, 'same')).not.toBe(sealField(key, 1, org, here, 'same'));
    expect(sealField(key, 1, org, here, 'whsec_live_4f9')).not.toContain('whsec');
  });

  it('refuses a value moved to another organisation, row or column, even under the same key', () => {
    const ciphertext = sealField(key, 1, org, here, 'secret');
    for (const [organizationId, context] of [
      [randomUUID(), here],
      [org, { ...here, rowId: randomUUID() }],
      [org, { ...here, column: 'other_secret' }],
      [org, { ...here, table: 'integrations' }],
    ] as const) {
      const error = failure(() => open(ciphertext, context, organizationId));
      expect(error.reason).toBe('not-authentic');
      expect(error.message).toMatch(/encrypted for another organisation, row or column, or it was altered/);
    }
  });

  it('refuses any altered bit, a changed key version, another key, and text that is not ours', () => {
    const ciphertext = sealField(key, 1, org, here, 'secret value');
    expect(failure(() => open(flipped(ciphertext, 3, 0))).reason).toBe('not-authentic');
    // The last bytes are the tag.
    expect(failure(() => open(flipped(ciphertext, 3, 12 + 15))).reason).toBe('not-authentic');
    expect(failure(() => open(flipped(ciphertext, 2, 5))).reason).toBe('not-authentic');
    expect(failure(() => open(ciphertext.replace(/^v1\.1\./, 'v1.2.'))).reason).toBe('not-authentic');
    expect(failure(() => open(ciphertext, here, org, randomBytes(32))).reason).toBe('not-authentic');
    for (const junk of ['secret value', 'v2.1.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA', 'v1.0.AAAAAAAAAAAAAAAAAAAAAA.AAAA', `${ciphertext}=`]) {
      expect(failure(() => open(junk)).reason).toBe('malformed');
    }
  });

  it('accepts one text per value: no second spelling of the same bytes', () => {
    const ciphertext = sealField(key, 1, org, here, '');
    // 16 bytes of tag are 22 characters; the last one carries 4 unused bits.
    const last = ciphertext.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 0x01] ?? '';
    expect(failure(() => open(`${ciphertext.slice(0, -1)}${sibling}`)).reason).toBe('malformed');
  });
});
