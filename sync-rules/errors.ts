/** The closed vocabulary of errors a client can be told about. Messages are in the client's i18n. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_INPUT',
  'SLUG_TAKEN',
  'LOCATION_CLOSED',
  'INVALID_TRANSITION',
  'RATE_LIMITED',
  'PASSWORD_TOO_SHORT',
  'PASSWORD_TOO_LONG',
  'PASSWORD_BLOCKLISTED',
  'SECOND_FACTOR_REQUIRED',
  'INVITATION_PENDING',
  'INVITATION_WRONG_ACCOUNT',
  'INVITATION_EXPIRED',
  'INVITATION_USED',
  'INVITATION_REVOKED',
  'INVITATION_SUPERSEDED',
  'ALREADY_MEMBER',
  'SHARE_LINK_EXPIRED',
  'SHARE_LINK_EXHAUSTED',
  'SHARE_LINK_REVOKED',
  'OWN_MEMBERSHIP',
  'OWNER_ONLY',
  'EXCEEDS_OWN_PERMISSIONS',
  'ROLE_NAME_TAKEN',
  'ROLE_IN_USE',
  'ACCOUNT_NOT_FOUND',
  'ALREADY_OPERATOR',
  'OWN_PLATFORM_ROLE',
  'LAST_SUPERADMIN',
  'FILE_TOO_LARGE',
  'FILE_TYPE_NOT_ALLOWED',
  'FILE_NOT_UPLOADED',
  'FILE_UPLOAD_MISMATCH',
  'FILE_RETENTION_EXPIRED',
  'PROFILE_OWNED_BY_PATIENT',
  'PATIENT_RETENTION_EXPIRED',
  'TIER_NAME_TAKEN',
  'TIER_IN_USE',
  'TIER_ARCHIVED',
  'SUBSCRIPTION_EXISTS',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The one error type thrown by shared and server code for an expected refusal. Its message is
 * English, for logs and API clients; people see the translation of `code`.
 * `details` always carries the code too: Zero hands a mutator's error to the client as
 * `{message, details}`, so that is where the optimistic run's refusal must say what it was.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown> & { code: ErrorCode }>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = { ...details, code };
  }
}
