/**
 * What the client reads from an access token, without verifying it: the server verifies every
 * token; the client only needs to know when to fetch the next one and for which clinic it is.
 */
export type AccessTokenClaims = {
  /** Epoch milliseconds; null when the token carries no `exp`. */
  expiresAt: number | null;
  /** better-auth's session id; absent from development-login tokens. */
  sessionId: string | null;
  organizationId: string | null;
};

function decodeSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The claims of a JWT's payload, or null if the text is not a JWT with a JSON object payload. */
export function readAccessToken(token: string): AccessTokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') return null;
  let payload: unknown;
  try {
    payload = decodeSegment(parts[1]);
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const { exp, sid, org } = payload as { exp?: unknown; sid?: unknown; org?: unknown };
  return {
    expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null,
    sessionId: typeof sid === 'string' ? sid : null,
    organizationId: typeof org === 'string' ? org : null,
  };
}

/** better-auth's access tokens live five minutes; assume so when a token does not say. */
export const ASSUMED_TOKEN_LIFETIME_MS = 5 * 60_000;

export function tokenExpiry(token: string, now: number): number {
  return readAccessToken(token)?.expiresAt ?? now + ASSUMED_TOKEN_LIFETIME_MS;
}
