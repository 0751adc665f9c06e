import { describe, expect, it } from 'vitest';
import { ApiError } from '../../sync/auth-api.ts';
import { IdentityError } from '../../sync/identity-api.ts';
import { DifferentPersonError } from '../../sync/identity-session.ts';
import { SessionEndedError } from '../../sync/token-keeper.ts';
import { identityErrorKey, isNotVerified, isPasswordProblem, needsSecondFactorEnrolment } from './identity-messages.ts';

const refused = (code: string, status = 400) => new IdentityError(code, status, code);

describe('identity messages', () => {
  it("explains better-auth's codes in our words", () => {
    expect(identityErrorKey(refused('INVALID_EMAIL_OR_PASSWORD', 401))).toBe('authError.wrongPassword');
    expect(identityErrorKey(refused('EMAIL_NOT_VERIFIED', 403))).toBe('authError.notVerified');
    expect(identityErrorKey(refused('INVALID_CODE', 401))).toBe('authError.wrongCode');
    expect(identityErrorKey('INVALID_TOKEN')).toBe('authError.linkInvalid');
    expect(identityErrorKey('token_expired')).toBe('authError.linkInvalid');
    expect(identityErrorKey(new DifferentPersonError())).toBe('authError.differentPerson');
  });

  it("uses the catalog's error codes for ours, and says 'network' or 'something went wrong' otherwise", () => {
    expect(identityErrorKey(refused('PASSWORD_BLOCKLISTED'))).toBe('error.PASSWORD_BLOCKLISTED');
    expect(identityErrorKey(refused('RATE_LIMITED', 429))).toBe('error.RATE_LIMITED');
    expect(identityErrorKey(new ApiError('NETWORK', 'down'))).toBe('error.network');
    expect(identityErrorKey(refused('SOMETHING_NEW'))).toBe('error.generic');
    expect(identityErrorKey(new Error('bug'))).toBe('error.generic');
  });

  it('explains passkey failures: the browser refusing, and the server refusing the passkey', () => {
    expect(identityErrorKey(refused('PASSKEY_CANCELLED', 0))).toBe('passkey.errorCancelled');
    expect(identityErrorKey(refused('PASSKEY_UNSUPPORTED', 0))).toBe('passkey.unsupported');
    expect(identityErrorKey(refused('PASSKEY_NOT_FOUND', 401))).toBe('passkey.errorUnknownPasskey');
    expect(identityErrorKey(refused('PASSKEY_USER_NOT_VERIFIED', 401))).toBe('passkey.errorNotVerified');
    expect(identityErrorKey(refused('PREVIOUSLY_REGISTERED'))).toBe('passkey.errorAlreadyRegistered');
    expect(identityErrorKey(refused('SESSION_NOT_FRESH', 403))).toBe('passkey.errorNotFresh');
  });

  it('tells which failures need a particular response', () => {
    expect(isPasswordProblem(refused('PASSWORD_TOO_SHORT'))).toBe(true);
    expect(isPasswordProblem(refused('INVALID_EMAIL_OR_PASSWORD', 401))).toBe(false);
    expect(isNotVerified(refused('EMAIL_NOT_VERIFIED', 403))).toBe(true);
    expect(needsSecondFactorEnrolment(new SessionEndedError('SECOND_FACTOR_REQUIRED', 'enrol'))).toBe(true);
    expect(needsSecondFactorEnrolment(new SessionEndedError('UNAUTHENTICATED', 'gone'))).toBe(false);
  });
});
