import { describe, expect, it } from 'vitest';
import {
  formatShareCode,
  hashInvitationToken,
  INVITATION_TOKEN_PATTERN,
  mintInvitationToken,
  mintShareCode,
  normaliseShareCode,
  SHARE_CODE_ALPHABET,
} from './secrets.ts';

describe('invitation tokens', () => {
  it('are 43 base64url characters whose SHA-256 is what gets stored', () => {
    const minted = mintInvitationToken();
    expect(minted.token).toMatch(INVITATION_TOKEN_PATTERN);
    expect(minted.hash).toHaveLength(32);
    expect(minted.hash.equals(hashInvitationToken(minted.token))).toBe(true);
    expect(new Set(Array.from({ length: 100 }, () => mintInvitationToken().token)).size).toBe(100);
  });
});

describe('share-link codes', () => {
  it('use 8 characters of an alphabet without look-alikes', () => {
    expect(SHARE_CODE_ALPHABET).not.toMatch(/[01ILOU]/);
    for (let i = 0; i < 200; i++) expect(mintShareCode()).toMatch(/^[2-9A-HJKMNP-TV-Z]{8}$/);
  });

  it('read back however a person types them, and nothing else', () => {
    const code = mintShareCode();
    expect(normaliseShareCode(code)).toBe(code);
    expect(normaliseShareCode(formatShareCode(code))).toBe(code);
    expect(normaliseShareCode(` ${code.slice(0, 4).toLowerCase()} ${code.slice(4)} `)).toBe(code);
    for (const bad of ['', 'ABCD-EFG', 'ABCD-EFGHJ', 'ABCD-EFG0', 'ABCD-EFGI', 'ABCD_EFGH', 'ABCDEFG😀']) {
      expect(normaliseShareCode(bad), bad).toBeNull();
    }
  });

  it('print as two groups of four', () => {
    expect(formatShareCode('ABCDEFGH')).toBe('ABCD-EFGH');
  });
});
