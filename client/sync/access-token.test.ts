import { describe, expect, it } from 'vitest';
import { ASSUMED_TOKEN_LIFETIME_MS, readAccessToken, tokenExpiry } from './access-token.ts';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (payload: unknown) => `${segment({ alg: 'EdDSA', typ: 'JWT' })}.${segment(payload)}.c2lnbmF0dXJl`;

describe('readAccessToken', () => {
  it('reads exp (as milliseconds), the session and the clinic without verifying', () => {
    const token = jwt({ sub: 'p1', sid: 's1', org: 'o1', exp: 1_800_000_300, iat: 1_800_000_000 });
    expect(readAccessToken(token)).toEqual({ expiresAt: 1_800_000_300_000, sessionId: 's1', organizationId: 'o1' });
  });

  it('reads a development token, which has no session and may have no clinic', () => {
    expect(readAccessToken(jwt({ sub: 'p1', org: null, exp: 10 }))).toEqual({ expiresAt: 10_000, sessionId: null, organizationId: null });
  });

  it('decodes base64url payloads with non-ASCII text', () => {
    expect(readAccessToken(jwt({ org: 'ș-ț', exp: 1 }))?.organizationId).toBe('ș-ț');
  });

  it('refuses what is not a JWT with an object payload', () => {
    expect(readAccessToken('not a token')).toBeNull();
    expect(readAccessToken('a..c')).toBeNull();
    expect(readAccessToken(`x.${segment([1, 2])}.y`)).toBeNull();
    expect(readAccessToken('x.%%%.y')).toBeNull();
  });
});

describe('tokenExpiry', () => {
  it("uses the token's exp, or assumes better-auth's five minutes", () => {
    expect(tokenExpiry(jwt({ exp: 100 }), 0)).toBe(100_000);
    expect(tokenExpiry(jwt({ sub: 'p1' }), 1_000)).toBe(1_000 + ASSUMED_TOKEN_LIFETIME_MS);
  });
});
