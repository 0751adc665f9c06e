import type { AuthContext } from '../../sync-rules/context.ts';
import { tokenExpiry, readAccessToken } from './access-token.ts';
import { ApiError, devSignIn } from './auth-api.ts';
import { fetchAccessToken, fetchContext, fetchCurrentSession, IdentityError, switchSessionOrganization, type CurrentSession } from './identity-api.ts';
import { ZAuthContext, type Session, type SignIn } from './session.ts';
import { SessionEndedError } from './token-keeper.ts';

/** A token and what the server makes of it. */
export type Access = { token: string; expiresAt: number; context: AuthContext };

/** The browser's sign-in now belongs to a different account than the one whose data is on this device. */
export class DifferentPersonError extends SessionEndedError {
  constructor() {
    super('UNAUTHENTICATED', 'signed in as someone else');
    this.name = 'DifferentPersonError';
  }
}

/** Failures only the person can fix become SessionEndedError; the rest pass through. */
function endedOr(error: unknown): unknown {
  const code = error instanceof IdentityError || error instanceof ApiError ? error.code : null;
  if (code === 'SECOND_FACTOR_REQUIRED') return new SessionEndedError('SECOND_FACTOR_REQUIRED', 'a second factor is required');
  if (code === 'UNAUTHENTICATED' || (error instanceof IdentityError && error.status === 401)) {
    return new SessionEndedError('UNAUTHENTICATED', 'the sign-in has ended');
  }
  return error;
}

/** Whether a failure only means the server could not be reached or answer now: try again later. */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof IdentityError) return error.code === 'NETWORK' || error.code === 'RATE_LIMITED' || error.status >= 500;
  return error instanceof ApiError && error.code === 'NETWORK';
}

/**
 * A token for the cookie's session, in `organizationId` when given (a renewed token must stay in
 * the clinic the device's unconfirmed writes were made for), and the context the server derives.
 */
export async function identityAccess(organizationId: string | null | undefined, now: () => number = Date.now): Promise<Access> {
  try {
    let token = await fetchAccessToken();
    const claimed = readAccessToken(token)?.organizationId ?? null;
    if (organizationId !== undefined && organizationId !== null && claimed !== organizationId) {
      // The server starts new sessions (e.g. after enrolling a second factor) in the first clinic.
      const moved = await switchSessionOrganization(organizationId).then(
        () => true,
        (error: unknown) => {
          // No longer a member there: carry on in the clinic the server chose.
          if (error instanceof IdentityError && error.code === 'NOT_FOUND') return false;
          throw error;
        },
      );
      if (moved) token = await fetchAccessToken();
    }
    const context = ZAuthContext.parse(await fetchContext(token));
    return { token, expiresAt: tokenExpiry(token, now()), context };
  } catch (error) {
    throw endedOr(error);
  }
}

/** The session a real sign-in yields, in the shape the development login gives. */
export function buildIdentitySignIn(access: Access, user: Pick<CurrentSession['user'], 'name' | 'email'>, locale: string): SignIn {
  return {
    source: 'identity',
    token: access.token,
    expiresAt: access.expiresAt,
    context: access.context,
    human: { name: user.name, email: user.email, locale },
    // Filled in from the synced memberships once Zero runs (see useFollowMemberships).
    organizations: [],
  };
}

/** After better-auth set its cookie (password, second factor, a link): the app's session. */
export async function establishIdentitySession(locale: string): Promise<SignIn> {
  let current: CurrentSession | null;
  try {
    current = await fetchCurrentSession();
  } catch (error) {
    throw endedOr(error);
  }
  if (current === null) throw new SessionEndedError('UNAUTHENTICATED', 'no session cookie');
  return buildIdentitySignIn(await identityAccess(undefined), current.user, locale);
}

/**
 * A new token for a running session: same person, same clinic. Security: if the cookie now belongs
 * to someone else (they signed in on this browser meanwhile), this device's session has ended;
 * their token must never drive this person's Zero store or outbox.
 */
export async function renewSession(session: Session): Promise<Session> {
  let renewed: Session;
  if (session.source === 'identity') {
    renewed = { ...session, ...(await identityAccess(session.context.organizationId)) };
  } else {
    try {
      renewed = { ...(await devSignIn(session.human.email, session.context.organizationId ?? undefined)), sharedDevice: session.sharedDevice };
    } catch (error) {
      throw endedOr(error);
    }
  }
  if (renewed.context.principalId !== session.context.principalId) throw new DifferentPersonError();
  return renewed;
}

/** The same person working in another of their clinics. */
export async function sessionInOrganization(session: Session, organizationId: string): Promise<Session> {
  if (session.source === 'development') {
    const switched = await devSignIn(session.human.email, organizationId);
    return { ...switched, sharedDevice: session.sharedDevice };
  }
  await switchSessionOrganization(organizationId);
  return { ...session, ...(await identityAccess(organizationId)) };
}
