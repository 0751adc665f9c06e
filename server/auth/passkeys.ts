import { passkey } from '@better-auth/passkey';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { setSessionCookie } from 'better-auth/cookies';

/** The one endpoint that signs a person in with a passkey (docs/adr/0010-passkeys.md). */
export const PASSKEY_SIGN_IN_PATH = '/passkey/verify-authentication';
const SIGN_IN_OPTIONS_PATH = '/passkey/generate-authenticate-options';

const USER_NOT_VERIFIED = { code: 'PASSKEY_USER_NOT_VERIFIED', message: 'the authenticator did not verify the person (PIN or biometric)' } as const;

/**
 * Passkeys for the platform's own origin. Security: a passkey counts as two factors only with user
 * verification (the PIN or biometric of the device), and the plugin checks nothing of it (it
 * verifies with `requireUserVerification: false`), so both ceremonies are refused here without it.
 * Discoverable credentials only: a passkey signs in without typing an address.
 */
export function passkeys(baseURL: string) {
  return passkey({
    rpID: new URL(baseURL).hostname,
    rpName: 'RestartiX',
    origin: new URL(baseURL).origin,
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    registration: {
      afterVerification: async ({ ctx, verification }) => {
        const info = verification.registrationInfo;
        if (info?.userVerified !== true) throw new APIError('BAD_REQUEST', USER_NOT_VERIFIED);
        // Security: a credential id belongs to one account (the database's unique index backs this).
        const taken = await ctx.context.adapter.findOne({ model: 'passkey', where: [{ field: 'credentialID', value: info.credential.id }] });
        if (taken !== null) throw new APIError('BAD_REQUEST', { code: 'PREVIOUSLY_REGISTERED', message: 'this passkey is already registered' });
      },
    },
    authentication: {
      afterVerification: ({ verification }) => {
        if (!verification.authenticationInfo.userVerified) throw new APIError('UNAUTHORIZED', USER_NOT_VERIFIED);
      },
    },
  });
}

const SHARED_DEVICE_SESSION_SECONDS = 24 * 3600;

/**
 * What the plugin leaves out of a passkey sign-in. The browser is asked for user verification (the
 * plugin says only "preferred"), so it asks for the PIN or biometric instead of failing afterwards.
 * And `?rememberMe=false` (a shared device) ends the session with the browser, as a password
 * sign-in with `rememberMe: false` does: no lasting cookie, a one-day session.
 */
export const passkeySignInPolicy = {
  id: 'restartix-passkey-sign-in',
  hooks: {
    after: [
      {
        matcher: (ctx) => ctx.path === SIGN_IN_OPTIONS_PATH,
        handler: createAuthMiddleware((ctx): Promise<unknown> => {
          const options = ctx.context.returned;
          // Failures (APIError) and raw responses pass through untouched.
          if (typeof options !== 'object' || options === null || options instanceof Response || options instanceof Error) return Promise.resolve();
          return Promise.resolve(ctx.json({ ...options, userVerification: 'required' }));
        }),
      },
      {
        matcher: (ctx) => ctx.path === PASSKEY_SIGN_IN_PATH && (ctx.query as { rememberMe?: unknown } | undefined)?.rememberMe === 'false',
        handler: createAuthMiddleware(async (ctx) => {
          const created = ctx.context.newSession;
          if (created === null) return;
          const expiresAt = new Date(Date.now() + SHARED_DEVICE_SESSION_SECONDS * 1000);
          await ctx.context.internalAdapter.updateSession(created.session.token, { expiresAt });
          // Set after the plugin's own cookie, so the browser keeps this one.
          await setSessionCookie(ctx, { session: { ...created.session, expiresAt }, user: created.user }, true);
        }),
      },
    ],
  },
} satisfies BetterAuthPlugin;
