import { describe, expect, it } from 'vitest';
import { errorCodeOf } from './identity-api.ts';

describe('errorCodeOf', () => {
  it("reads better-auth's code and our envelope's code", () => {
    expect(errorCodeOf(403, { code: 'EMAIL_NOT_VERIFIED', message: 'Email not verified' })).toBe('EMAIL_NOT_VERIFIED');
    expect(errorCodeOf(400, { code: 'PASSWORD_TOO_SHORT', message: 'PASSWORD_TOO_SHORT', min: 15 })).toBe('PASSWORD_TOO_SHORT');
    expect(errorCodeOf(403, { error: { code: 'SECOND_FACTOR_REQUIRED', message: '…' } })).toBe('SECOND_FACTOR_REQUIRED');
  });

  it('names throttling and bare failures by their status', () => {
    expect(errorCodeOf(429, { message: 'Too many requests. Please try again later.' })).toBe('RATE_LIMITED');
    expect(errorCodeOf(401, null)).toBe('UNAUTHENTICATED');
    expect(errorCodeOf(500, 'oops')).toBe('GENERIC');
  });
});
