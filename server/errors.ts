import type { Context, Next } from 'koa';
import { DomainError, type ErrorCode } from '../sync-rules/errors.ts';
import type { AppState } from './request-context.ts';

const STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  SLUG_TAKEN: 409,
  LOCATION_CLOSED: 409,
  INVALID_TRANSITION: 409,
  RATE_LIMITED: 429,
  PASSWORD_TOO_SHORT: 400,
  PASSWORD_TOO_LONG: 400,
  PASSWORD_BLOCKLISTED: 400,
  SECOND_FACTOR_REQUIRED: 403,
  INVITATION_PENDING: 409,
  INVITATION_WRONG_ACCOUNT: 403,
  INVITATION_EXPIRED: 410,
  INVITATION_USED: 409,
  INVITATION_REVOKED: 410,
  INVITATION_SUPERSEDED: 410,
  ALREADY_MEMBER: 409,
  SHARE_LINK_EXPIRED: 410,
  SHARE_LINK_EXHAUSTED: 409,
  SHARE_LINK_REVOKED: 410,
  OWN_MEMBERSHIP: 403,
  OWNER_ONLY: 403,
  EXCEEDS_OWN_PERMISSIONS: 403,
  ROLE_NAME_TAKEN: 409,
  ROLE_IN_USE: 409,
  ACCOUNT_NOT_FOUND: 404,
  ALREADY_OPERATOR: 409,
  OWN_PLATFORM_ROLE: 403,
  LAST_SUPERADMIN: 409,
  FILE_TOO_LARGE: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
  FILE_NOT_UPLOADED: 409,
  FILE_UPLOAD_MISMATCH: 409,
  FILE_RETENTION_EXPIRED: 410,
  PROFILE_OWNED_BY_PATIENT: 409,
  PATIENT_RETENTION_EXPIRED: 410,
  TIER_NAME_TAKEN: 409,
  TIER_IN_USE: 409,
  TIER_ARCHIVED: 409,
  SUBSCRIPTION_EXISTS: 409,
  INTERNAL: 500,
};

export type ErrorEnvelope = {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown>; requestId: string };
};

type PostgresLikeError = { code?: unknown; constraint_name?: unknown; constraint?: unknown };
type HttpLikeError = { status?: unknown };

// Constraint names the user can act on; every other database failure is reported as INTERNAL.
const CONSTRAINT_ERRORS: Record<string, DomainError> = {
  locations_slug_key: new DomainError('SLUG_TAKEN', 'slug is taken', { field: 'slug' }),
  organizations_slug_key: new DomainError('SLUG_TAKEN', 'slug is taken', { field: 'slug' }),
  locations_closed_is_terminal: new DomainError('LOCATION_CLOSED', 'a closed location cannot change'),
  // Races the invitation and share-link services check for first (server/invitations/).
  invitations_one_open_key: new DomainError('INVITATION_PENDING', 'this address already has an open invitation; resend it instead'),
  invitations_accept_before_expiry: new DomainError('INVITATION_EXPIRED', 'the invitation has expired'),
  memberships_organization_principal_key: new DomainError('ALREADY_MEMBER', 'already a member of this organisation'),
  share_links_uses_within_max: new DomainError('SHARE_LINK_EXHAUSTED', 'the share link has reached its maximum uses'),
  // The platform-role functions' refusals (db/migrations/0010_platform_operators.sql).
  platform_roles_operators_only: new DomainError('FORBIDDEN', 'only platform operators may do this'),
  platform_roles_superadmin_only: new DomainError('FORBIDDEN', 'only a superadmin may do this'),
  platform_roles_target_is_human: new DomainError('NOT_FOUND', 'no such person'),
  platform_roles_not_own: new DomainError('OWN_PLATFORM_ROLE', 'nobody changes their own platform role'),
  platform_roles_keep_a_superadmin: new DomainError('LAST_SUPERADMIN', 'the last superadmin keeps the role'),
  // Patient tiers (db/migrations/0021_patient_tiers.sql): races and raw writes the mutators check for first.
  patient_tiers_name_key: new DomainError('TIER_NAME_TAKEN', 'a tier with this name is offered', { field: 'name' }),
  patient_tiers_terms_fixed: new DomainError('TIER_IN_USE', 'patients subscribe to this tier; its price terms are fixed'),
  patient_subscriptions_tier_active: new DomainError('TIER_ARCHIVED', 'only an active tier takes new subscriptions', { field: 'tierId' }),
  patient_subscriptions_one_live_key: new DomainError('SUBSCRIPTION_EXISTS', 'the patient already has a subscription here'),
  patient_subscriptions_transition: new DomainError('INVALID_TRANSITION', 'this status change is not allowed'),
};

/**
 * Turns anything thrown into a DomainError safe to show a client.
 * Security: Postgres error text (table names, policy names, values) never leaves the server.
 */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (typeof error === 'object' && error !== null) {
    // Koa and its body parser throw client errors (malformed JSON, too large) with a 4xx status.
    const { status } = error as HttpLikeError;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return new DomainError('INVALID_INPUT', status === 413 ? 'the request body is too large' : 'the request body is not valid JSON');
    }
    const pgError = error as PostgresLikeError;
    const constraint = pgError.constraint_name ?? pgError.constraint;
    if (typeof constraint === 'string') {
      const known = CONSTRAINT_ERRORS[constraint];
      if (known !== undefined) return known;
    }
    if (pgError.code === '42501') return new DomainError('NOT_FOUND', 'not found');
    if (pgError.code === '23514' || pgError.code === '22001' || pgError.code === '22P02') {
      return new DomainError('INVALID_INPUT', 'a value is not acceptable');
    }
  }
  return new DomainError('INTERNAL', 'the request could not be completed');
}

export function envelope(error: DomainError, requestId: string): ErrorEnvelope {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(Object.keys(error.details).length > 1 ? { details: { ...error.details } } : {}),
      requestId,
    },
  };
}

/** The one place an error becomes an HTTP response. */
export async function errorEnvelope(ctx: Context & { state: AppState }, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) throw new DomainError('NOT_FOUND', 'no such route');
  } catch (thrown) {
    const error = toDomainError(thrown);
    const { request } = ctx.state;
    if (error.code === 'INTERNAL') request.log.error({ err: thrown }, 'request failed');
    else request.log.info({ code: error.code }, 'request refused');
    ctx.status = STATUS[error.code];
    ctx.body = envelope(error, request.requestId);
  }
}
