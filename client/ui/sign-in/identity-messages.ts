import { isErrorCode, type ErrorCode } from '../../../sync-rules/errors.ts';
import { ApiError } from '../../sync/auth-api.ts';
import { IdentityError } from '../../sync/identity-api.ts';
import { DifferentPersonError } from '../../sync/identity-session.ts';
import { SessionEndedError } from '../../sync/token-keeper.ts';
import type { MessageKey } from '../i18n/messages.ts';

/** Messages without parameters: what a failed identity step can say. */
export type IdentityMessageKey = Extract<MessageKey, `authError.${string}` | `passkey.error${string}`> | 'passkey.unsupported' | `error.${ErrorCode}` | 'error.generic' | 'error.network';

const PASSWORD_CODES = new Set(['PASSWORD_TOO_SHORT', 'PASSWORD_TOO_LONG', 'PASSWORD_BLOCKLISTED']);

/** better-auth's codes we explain; the rest read as "something went wrong". */
const IDENTITY_MESSAGES: Readonly<Record<string, IdentityMessageKey>> = {
  INVALID_EMAIL_OR_PASSWORD: 'authError.wrongPassword',
  INVALID_PASSWORD: 'authError.wrongCurrentPassword',
  EMAIL_NOT_VERIFIED: 'authError.notVerified',
  INVALID_CODE: 'authError.wrongCode',
  INVALID_BACKUP_CODE: 'authError.wrongCode',
  INVALID_TWO_FACTOR_COOKIE: 'authError.codeExpired',
  TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE: 'authError.codeExpired',
  ACCOUNT_TEMPORARILY_LOCKED: 'authError.locked',
  INVALID_TOKEN: 'authError.linkInvalid',
  TOKEN_EXPIRED: 'authError.linkInvalid',
  // better-auth's verification redirect uses its own lowercase spellings.
  invalid_token: 'authError.linkInvalid',
  token_expired: 'authError.linkInvalid',
  NETWORK: 'error.network',
  // Passkeys: the browser's refusals (client/sync/passkey-api.ts) and the passkey plugin's codes.
  PASSKEY_CANCELLED: 'passkey.errorCancelled',
  PASSKEY_UNSUPPORTED: 'passkey.unsupported',
  PASSKEY_NOT_ALLOWED_HERE: 'passkey.errorAddress',
  PASSKEY_ALREADY_REGISTERED: 'passkey.errorAlreadyRegistered',
  PREVIOUSLY_REGISTERED: 'passkey.errorAlreadyRegistered',
  PASSKEY_NOT_FOUND: 'passkey.errorUnknownPasskey',
  AUTHENTICATION_FAILED: 'passkey.errorFailed',
  FAILED_TO_VERIFY_REGISTRATION: 'passkey.errorFailed',
  CHALLENGE_NOT_FOUND: 'passkey.errorExpired',
  PASSKEY_USER_NOT_VERIFIED: 'passkey.errorNotVerified',
  SESSION_NOT_FRESH: 'passkey.errorNotFresh',
};

function codeOf(error: unknown): string | null {
  if (error instanceof DifferentPersonError) return 'DIFFERENT_PERSON';
  if (error instanceof IdentityError || error instanceof ApiError || error instanceof SessionEndedError) return error.code;
  if (typeof error === 'string') return error;
  return null;
}

/** The message for a failed identity step (an error, or a code from a link's `error=`). */
export function identityErrorKey(error: unknown): IdentityMessageKey {
  const code = codeOf(error);
  if (code === null) return 'error.generic';
  if (code === 'DIFFERENT_PERSON') return 'authError.differentPerson';
  const known = IDENTITY_MESSAGES[code];
  if (known !== undefined) return known;
  if (isErrorCode(code)) return `error.${code}`;
  return 'error.generic';
}

/** Whether the failure is about the chosen password, so it belongs next to that field. */
export function isPasswordProblem(error: unknown): boolean {
  const code = codeOf(error);
  return code !== null && PASSWORD_CODES.has(code);
}

export function isNotVerified(error: unknown): boolean {
  return codeOf(error) === 'EMAIL_NOT_VERIFIED';
}

/** The server wants a second factor enrolled before this person may act. */
export function needsSecondFactorEnrolment(error: unknown): boolean {
  return codeOf(error) === 'SECOND_FACTOR_REQUIRED';
}
