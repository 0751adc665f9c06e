import { SignJWT, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { DomainError } from '../../sync-rules/errors.ts';
import { ACCESS_TOKEN_AUDIENCE } from './better-auth.ts';

const DEV_ISSUER = 'restartix-core-api';

/** What a token asserts: who signed in and which clinic they work in. Ids only, never names. */
export type TokenClaims = {
  principalId: string;
  organizationId: string | null;
  /** Whether the account has a second factor; null for development-login tokens (no accounts). */
  secondFactor?: boolean | null;
};

const ZPayload = z.object({ sub: z.uuid(), org: z.uuid().nullable().optional(), sid: z.string().min(1).optional(), mfa: z.boolean().optional() });

export type TokenService = {
  /** The development login's tokens; null when the development login is off. */
  issue: ((claims: TokenClaims) => Promise<{ token: string; expiresAt: number }>) | null;
  verify(token: string): Promise<TokenClaims>;
};

type Options = {
  /** better-auth's signing keys (EdDSA, rotating), and who signs with them. */
  jwks: JWTVerifyGetKey;
  issuer: string;
  /** HS256 secret of the development login, or null to accept only real sign-ins. */
  devSecret: string | null;
  devTtlSeconds: number;
  /** Whether the identity service still holds this session (not signed out, revoked or expired). */
  isSessionActive: (sessionId: string) => Promise<boolean>;
};

/**
 * Access tokens: short-lived EdDSA JWTs from better-auth's JWT plugin, checked against its JWKS;
 * and, only while the development login is on, the HS256 tokens it issues. Security: the algorithm
 * decides the key and nothing else does: `alg: none`, an HS256 token when the development login is
 * off, or an EdDSA token signed by anyone else all fail.
 */
export function createTokenService(options: Options): TokenService {
  const devKey = options.devSecret === null ? null : new TextEncoder().encode(options.devSecret);
  const verifyWith = async (token: string) => {
    const { alg } = decodeProtectedHeader(token);
    if (alg === 'EdDSA') {
      const { payload } = await jwtVerify(token, options.jwks, { issuer: options.issuer, audience: ACCESS_TOKEN_AUDIENCE, algorithms: ['EdDSA'] });
      const sid = typeof payload.sid === 'string' ? payload.sid : null;
      if (sid === null || !(await options.isSessionActive(sid))) throw new errors.JWTClaimValidationFailed('session ended', payload, 'sid');
      return payload;
    }
    if (alg === 'HS256' && devKey !== null) {
      return (await jwtVerify(token, devKey, { issuer: DEV_ISSUER, audience: ACCESS_TOKEN_AUDIENCE, algorithms: ['HS256'] })).payload;
    }
    throw new errors.JOSEAlgNotAllowed(`alg ${String(alg)} is not accepted`);
  };
  return {
    issue: devKey === null ? null : async (claims) => {
      const expiresAt = Date.now() + options.devTtlSeconds * 1000;
      const token = await new SignJWT({ org: claims.organizationId })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.principalId)
        .setIssuer(DEV_ISSUER)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt / 1000))
        .sign(devKey);
      return { token, expiresAt };
    },
    async verify(token) {
      try {
        const claims = ZPayload.parse(await verifyWith(token));
        return { principalId: claims.sub, organizationId: claims.org ?? null, secondFactor: claims.mfa ?? null };
      } catch (error) {
        const reason = error instanceof errors.JWTExpired ? 'token expired' : 'token invalid';
        throw new DomainError('UNAUTHENTICATED', reason);
      }
    },
  };
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header ?? '');
  return match?.[1] ?? null;
}
