import { z } from 'zod';

/**
 * better-auth's HTTP API under /api/auth, called with plain fetch: its session cookie is
 * same-origin and httpOnly, so the browser sends it and scripts never see it.
 */
export class IdentityError extends Error {
  /** better-auth's code (EMAIL_NOT_VERIFIED, INVALID_CODE, …), ours (PASSWORD_TOO_SHORT, …), RATE_LIMITED, or NETWORK. */
  readonly code: string;
  readonly status: number;

  constructor(code: string, status: number, message: string) {
    super(message);
    this.name = 'IdentityError';
    this.code = code;
    this.status = status;
  }
}

const ZErrorBody = z.union([
  z.object({ error: z.object({ code: z.string() }) }).transform((body) => body.error.code),
  z.object({ code: z.string() }).transform((body) => body.code),
]);

/** The error code of a failed answer: better-auth's `{code}`, our envelope's `{error:{code}}`, or by status. */
export function errorCodeOf(status: number, body: unknown): string {
  if (status === 429) return 'RATE_LIMITED';
  const parsed = ZErrorBody.safeParse(body);
  if (parsed.success) return parsed.data;
  return status === 401 ? 'UNAUTHENTICATED' : 'GENERIC';
}

type Request = { method?: 'GET' | 'POST'; body?: object; bearer?: string; signal?: AbortSignal };

/** One call to our own origin; resolves with the JSON body (null when empty), throws IdentityError. */
export async function identityRequest(path: string, { method, body, bearer, signal }: Request = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    throw new IdentityError('NETWORK', 0, error instanceof Error ? error.message : 'fetch failed');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!response.ok) throw new IdentityError(errorCodeOf(response.status, parsed), response.status, `HTTP ${String(response.status)} from ${path}`);
  return parsed;
}

const ZPasswordSignIn = z.union([
  z.object({ twoFactorRedirect: z.literal(true) }).transform(() => ({ status: 'second-factor' as const })),
  z.object({}).transform(() => ({ status: 'signed-in' as const })),
]);
export type PasswordSignIn = z.output<typeof ZPasswordSignIn>;

/** `rememberMe: false` (shared devices) makes the session cookie end with the browser. */
export async function signInWithPassword(email: string, password: string, rememberMe: boolean): Promise<PasswordSignIn> {
  return ZPasswordSignIn.parse(await identityRequest('/api/auth/sign-in/email', { body: { email, password, rememberMe } }));
}

export async function signUp(input: { name: string; email: string; password: string; callbackURL: string }): Promise<void> {
  await identityRequest('/api/auth/sign-up/email', { body: input });
}

export async function sendVerificationEmail(email: string, callbackURL: string): Promise<void> {
  await identityRequest('/api/auth/send-verification-email', { body: { email, callbackURL } });
}

export async function requestMagicLink(email: string, callbackURL: string, errorCallbackURL: string): Promise<void> {
  await identityRequest('/api/auth/sign-in/magic-link', { body: { email, callbackURL, errorCallbackURL } });
}

export async function requestPasswordReset(email: string, redirectTo: string): Promise<void> {
  await identityRequest('/api/auth/request-password-reset', { body: { email, redirectTo } });
}

export async function resetPassword(token: string, newPassword: string): Promise<void> {
  await identityRequest('/api/auth/reset-password', { body: { token, newPassword } });
}

/** The second step of a sign-in, or the confirmation of a new authenticator on the account page. */
export async function verifyTotp(code: string): Promise<void> {
  await identityRequest('/api/auth/two-factor/verify-totp', { body: { code } });
}

const ZTwoFactorEnrolment = z.object({ totpURI: z.string().min(1), backupCodes: z.array(z.string()) });
export type TwoFactorEnrolment = z.infer<typeof ZTwoFactorEnrolment>;

export async function enableTwoFactor(password: string): Promise<TwoFactorEnrolment> {
  return ZTwoFactorEnrolment.parse(await identityRequest('/api/auth/two-factor/enable', { body: { password } }));
}

export async function disableTwoFactor(password: string): Promise<void> {
  await identityRequest('/api/auth/two-factor/disable', { body: { password } });
}

const ZToken = z.object({ token: z.string().min(1) });

/** A fresh access token for the cookie's session (better-auth's JWT plugin). */
export async function fetchAccessToken(): Promise<string> {
  return ZToken.parse(await identityRequest('/api/auth/token')).token;
}

const ZCurrentSession = z
  .object({
    session: z.object({ id: z.string() }),
    user: z.object({ id: z.string(), name: z.string(), email: z.string(), twoFactorEnabled: z.boolean().nullish() }),
  })
  .nullable();
export type CurrentSession = NonNullable<z.infer<typeof ZCurrentSession>>;

/** Who the cookie belongs to, or null when there is no (live) session. */
export async function fetchCurrentSession(): Promise<CurrentSession | null> {
  return ZCurrentSession.parse(await identityRequest('/api/auth/get-session'));
}

const ZDeviceSession = z.object({
  id: z.string(),
  token: z.string(),
  createdAt: z.coerce.date(),
  updatedAt: z.coerce.date(),
  expiresAt: z.coerce.date(),
  ipAddress: z.string().nullish(),
  userAgent: z.string().nullish(),
});
export type DeviceSession = z.infer<typeof ZDeviceSession>;

export async function listSessions(): Promise<DeviceSession[]> {
  return z.array(ZDeviceSession).parse(await identityRequest('/api/auth/list-sessions'));
}

export async function revokeSession(token: string): Promise<void> {
  await identityRequest('/api/auth/revoke-session', { body: { token } });
}

export async function revokeOtherSessions(): Promise<void> {
  await identityRequest('/api/auth/revoke-other-sessions', { body: {} });
}

/** Ends the cookie's session on the server; gives up after `timeoutMs` (the device may be offline). */
export async function signOutOfIdentity(timeoutMs = 5_000): Promise<void> {
  await identityRequest('/api/auth/sign-out', { body: {}, signal: AbortSignal.timeout(timeoutMs) });
}

const ZContextAnswer = z.object({ context: z.unknown() });

/** `GET /api/session`: the context the server derives from this token. Parsed by the caller. */
export async function fetchContext(token: string): Promise<unknown> {
  return ZContextAnswer.parse(await identityRequest('/api/session', { bearer: token })).context;
}

/** Moves the cookie's session to another clinic; the next access token carries it. */
export async function switchSessionOrganization(organizationId: string): Promise<void> {
  await identityRequest('/api/session/organization', { body: { organizationId } });
}
