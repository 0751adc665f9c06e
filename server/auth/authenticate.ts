import { timingSafeEqual } from 'node:crypto';
import type { Sql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { requiresSecondFactor } from '../../sync-rules/permissions.ts';
import type { ActivityTracker } from '../activity/activity-tracker.ts';
import type { RequestContext } from '../request-context.ts';
import { loadAuthContext } from './auth-context.ts';
import { bearerToken, type TokenService } from './tokens.ts';

export type Authenticator = (authorization: string | undefined, request: RequestContext) => Promise<AuthContext>;

/**
 * Bearer token → verified claims → context from the database. Nothing else is trusted.
 * `whenMembershipGone: 'drop'` (the query endpoint) answers a removed member with a context outside
 * that clinic, so zero-cache takes the clinic's rows off their device instead of leaving them there
 * behind a sign-in prompt; writes and the API reject instead.
 * Each authenticated request counts as activity (last seen, server/activity/), without waiting for it.
 */
export function createAuthenticator(sql: Sql, tokens: TokenService, whenMembershipGone: 'reject' | 'drop' = 'reject', activity?: Pick<ActivityTracker, 'seen'>): Authenticator {
  return async (authorization, request) => {
    const token = bearerToken(authorization);
    if (token === null) throw new DomainError('UNAUTHENTICATED', 'a bearer token is required');
    const claims = await tokens.verify(token);
    const auth = await loadAuthContext(sql, claims, { whenMembershipGone });
    if (claims.secondFactor === false && requiresSecondFactor(auth)) {
      throw new DomainError('SECOND_FACTOR_REQUIRED', 'this role needs a second factor; enrol one, then sign in again');
    }
    request.auth = auth;
    request.log = request.log.child({ principalId: auth.principalId, organizationId: auth.organizationId });
    activity?.seen(auth);
    return auth;
  };
}

/** zero-cache proves it is the caller of the Zero endpoints with a shared key. */
export function assertZeroApiKey(presented: string | undefined, expected: string): void {
  const a = Buffer.from(presented ?? '');
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new DomainError('FORBIDDEN', 'this endpoint is for the sync engine only');
  }
}
