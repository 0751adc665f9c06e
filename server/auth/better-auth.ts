import { randomUUID } from 'node:crypto';
import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { jwt, magicLink, twoFactor } from 'better-auth/plugins';
import { PostgresJSDialect } from 'kysely-postgres-js';
import type { Sql } from 'postgres';
import type { Logger } from '../logger.ts';
import { SECOND_FACTOR_PERMISSIONS } from '../../sync-rules/permissions.ts';
import { PASSKEY_SIGN_IN_PATH, passkeys, passkeySignInPolicy } from './passkeys.ts';
import { passwordProblem } from './password-policy.ts';

export type AuthSettings = {
  log: Logger;
  /** A pool logged in as restartix_auth: the auth schema, and creating principals. */
  sql: Sql;
  baseURL: string;
  secret: string;
  trustedOrigins: string[];
  sendMagicLink: (email: string, url: string) => Promise<void>;
  sendVerificationEmail: (email: string, url: string) => Promise<void>;
  sendResetPassword: (email: string, url: string) => Promise<void>;
};

export const AUTH_BASE_PATH = '/api/auth';
export const ACCESS_TOKEN_AUDIENCE = 'restartix';
export const ACCESS_TOKEN_LIFETIME = '5m';

// Every path on which a person chooses a password.
const PASSWORD_PATHS = new Set(['/sign-up/email', '/change-password', '/reset-password', '/set-password']);

type PasswordBody = { password?: unknown; newPassword?: unknown; email?: unknown; name?: unknown };

/**
 * NIST SP 800-63B on top of better-auth's own length bounds: 15 characters unless a second factor
 * protects the account, the shipped blocklist and the account's own words.
 */
const enforcePasswordPolicy = createAuthMiddleware((ctx) => {
  if (!PASSWORD_PATHS.has(ctx.path)) return Promise.resolve();
  const body = (ctx.body ?? {}) as PasswordBody;
  const password = typeof body.newPassword === 'string' ? body.newPassword : body.password;
  if (typeof password !== 'string') return Promise.resolve();
  const session = ctx.context.session as { user?: { twoFactorEnabled?: boolean | null; email?: string; name?: string } } | null;
  const context = [body.email, body.name, session?.user?.email, session?.user?.name].filter((word): word is string => typeof word === 'string');
  const problem = passwordProblem(password, { hasSecondFactor: session?.user?.twoFactorEnabled === true, context });
  if (problem !== null) {
    throw new APIError('BAD_REQUEST', { message: problem.code, ...problem });
  }
  return Promise.resolve();
});

/**
 * Has, or by their roles must have, a second factor: platform operators, clinic owners and admins,
 * and custom roles holding a SECOND_FACTOR_PERMISSIONS permission.
 */
async function needsSecondFactor(sql: Sql, email: string): Promise<boolean> {
  const [row] = await sql<{ needs: boolean }[]>`
    select coalesce(u."twoFactorEnabled", false)
        or h.platform_role is not null
        or exists (select 1 from memberships m left join organization_roles r on r.id = m.custom_role_id
                   where m.principal_id = h.principal_id
                     and (m.role in ('owner', 'admin') or r.permissions ?| ${sql.array([...SECOND_FACTOR_PERMISSIONS])})) as needs
    from humans h left join auth."user" u on u.id = h.principal_id::text
    where h.email = ${email.toLowerCase()}`;
  return row?.needs === true;
}

/** The better-auth options, shared by the running server and the migration generator. */
export function authOptions(settings: AuthSettings) {
  const { sql } = settings;
  return {
    appName: 'RestartiX',
    // Into our logger (redaction, levels), not the console. Only the message: arguments can hold addresses.
    logger: { level: 'warn' as const, log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => { settings.log[level]({ component: 'identity' }, message); } },
    baseURL: settings.baseURL,
    basePath: AUTH_BASE_PATH,
    secret: settings.secret,
    trustedOrigins: settings.trustedOrigins,
    // Security: one-time tokens (reset, magic link, passkey challenge) are kept as their SHA-256 only,
    // and OAuth tokens, should a provider ever be added, encrypted (ADR 0014, db/secret-storage.ts).
    verification: { storeIdentifier: 'hashed' as const },
    account: { encryptOAuthTokens: true },
    database: { dialect: new PostgresJSDialect({ postgres: settings.sql }), type: 'postgres' as const, schemaName: 'auth', transaction: true },
    // Ids are uuids, so a user's id is also their principal id.
    advanced: { database: { generateId: () => randomUUID() } },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      sendResetPassword: async ({ user, url }) => { await settings.sendResetPassword(user.email, url); },
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      sendVerificationEmail: async ({ user, url }) => { await settings.sendVerificationEmail(user.email, url); },
    },
    // On in every environment, shared by every replica (better-auth turns it on only in production).
    // Per client address: a whole clinic may sit behind one address, so the limits are for scripts,
    // not for people; the 101st failed sign-in within a minute is refused.
    rateLimit: {
      enabled: true,
      storage: 'database' as const,
      window: 60,
      max: 600,
      customRules: {
        '/sign-in/email': { window: 60, max: 100 },
        '/sign-up/email': { window: 60, max: 30 },
        '/sign-in/magic-link': { window: 60, max: 20 },
        '/request-password-reset': { window: 60, max: 20 },
        '/two-factor/*': { window: 60, max: 30 },
      },
    },
    session: {
      additionalFields: {
        activeOrganizationId: { type: 'string' as const, required: false, input: false },
        // Set by the server on the passkey sign-in path only (below); `input: false` refuses it from clients.
        signedInWithPasskey: { type: 'boolean' as const, required: false, defaultValue: false, input: false },
      },
    },
    hooks: { before: enforcePasswordPolicy },
    databaseHooks: {
      user: {
        create: {
          // Someone already known (seeded, invited) keeps their principal id: one person, one row.
          before: async (user) => {
            const [known] = await sql<{ principal_id: string }[]>`select principal_id from humans where email = ${user.email.toLowerCase()}`;
            return { data: { ...user, email: user.email.toLowerCase(), ...(known === undefined ? {} : { id: known.principal_id }) } };
          },
          after: async (user) => {
            await sql`insert into principals (id, kind) values (${user.id}, 'human') on conflict (id) do nothing`;
            await sql`insert into humans (principal_id, email, name) values (${user.id}, ${user.email}, ${user.name})
              on conflict (principal_id) do nothing`;
          },
        },
      },
      session: {
        create: {
          // A new session starts in the person's first clinic (by name); they can switch later.
          // Security: whether it comes from a passkey is decided by the endpoint that creates it,
          // which refuses an assertion without user verification (passkeys.ts).
          before: async (session, context) => {
            const [first] = await sql<{ organization_id: string }[]>`
              select m.organization_id from memberships m join organizations o on o.id = m.organization_id
              where m.principal_id = ${session.userId} order by o.name limit 1`;
            return { data: { ...session, activeOrganizationId: first?.organization_id ?? null, signedInWithPasskey: context?.path === PASSKEY_SIGN_IN_PATH } };
          },
        },
      },
    },
    plugins: [
      twoFactor({ issuer: 'RestartiX' }),
      magicLink({
        sendMagicLink: async ({ email, url }) => {
          // Security: a link would skip the second factor, so people who need one get no link; the
          // answer is the same either way, so it tells nobody who has an account.
          if (await needsSecondFactor(sql, email)) return;
          await settings.sendMagicLink(email, url);
        },
      }),
      passkeys(settings.baseURL),
      passkeySignInPolicy,
      jwt({
        jwks: { keyPairConfig: { alg: 'EdDSA', crv: 'Ed25519' }, rotationInterval: 7 * 24 * 3600 },
        jwt: {
          issuer: settings.baseURL,
          audience: ACCESS_TOKEN_AUDIENCE,
          expirationTime: ACCESS_TOKEN_LIFETIME,
          // Security: ids only; names, emails and roles never travel in a token.
          definePayload: ({ user, session }) => ({
            sub: user.id,
            // The session, so that a token dies with it (sign-out, revoke) instead of at expiry.
            sid: session.id,
            // Whether this session's sign-in proved two factors: the account has TOTP (sign-in then
            // asked for it), or the session came from a passkey with user verification (ADR 0010).
            mfa: (user as { twoFactorEnabled?: boolean | null }).twoFactorEnabled === true
              || (session as { signedInWithPasskey?: boolean | null }).signedInWithPasskey === true,
            org: (session as { activeOrganizationId?: string | null }).activeOrganizationId ?? null,
          }),
        },
      }),
    ],
  } satisfies BetterAuthOptions;
}

export function createBetterAuth(settings: AuthSettings) {
  return betterAuth(authOptions(settings));
}
export type BetterAuth = ReturnType<typeof createBetterAuth>;
