import { describe, expect, it } from 'vitest';
import { apiKeyPrefix, hashApiKey, hashesMatch, isApiKeyShaped, mintApiKey } from './key-format.ts';

describe('API key format', () => {
  it('mints rx_<env>_<8 hex>_<43 base64url> keys whose prefix parses back', () => {
    for (const environment of ['live', 'test'] as const) {
      const minted = mintApiKey(environment);
      expect(minted.key).toMatch(new RegExp(`^rx_${environment}_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$`));
      expect(apiKeyPrefix(minted.key)).toBe(minted.prefix);
      expect(minted.secretHash.equals(hashApiKey(minted.key))).toBe(true);
      expect(isApiKeyShaped(minted.key)).toBe(true);
    }
  });

  it('never mints the same key or prefix twice in a row', () => {
    const keys = Array.from({ length: 200 }, () => mintApiKey('test'));
    expect(new Set(keys.map((k) => k.key)).size).toBe(200);
  });

  it('parses no prefix out of anything else', () => {
    const { key } = mintApiKey('test');
    for (const bad of ['', 'rx_test_', key.slice(0, -1), `${key}x`, key.replace('rx_test_', 'rx_prod_'), key.toUpperCase(), ` ${key}`, 'eyJhbGciOi.x.y']) {
      expect(apiKeyPrefix(bad), bad).toBeNull();
    }
    expect(isApiKeyShaped('eyJhbGciOi.x.y')).toBe(false);
  });

  it('compares hashes by value, and refuses different lengths', () => {
    const a = hashApiKey('rx_test_00000000_a');
    expect(hashesMatch(a, Buffer.from(a))).toBe(true);
    expect(hashesMatch(a, hashApiKey('rx_test_00000000_b'))).toBe(false);
    expect(hashesMatch(a, a.subarray(0, 16))).toBe(false);
  });
});
