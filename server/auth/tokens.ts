import { SignJWT, jwtVerify, errors } from 'jose';
import { z } from 'zod';
import { DomainError } from '../../sync-rules/errors.ts';

const ISSUER = 'restartix-core-api';
const AUDIENCE = 'restartix';

/** What a token asserts: who signed in and which clinic they work in. Ids only, never names. */
export type TokenClaims = { principalId: string; organizationId: string | null };

const ZPayload = z.object({ sub: z.uuid(), org: z.uuid().nullable() });

export type TokenService = {
  issue(claims: TokenClaims): Promise<{ token: string; expiresAt: number }>;
  verify(token: string): Promise<TokenClaims>;
};

/**
 * Signed, expiring access tokens (HS256 for the development login; the identity issue replaces this
 * with rotating asymmetric keys and JWKS).
 */
export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(claims) {
      const expiresAt = Date.now() + ttlSeconds * 1000;
      const token = await new SignJWT({ org: claims.organizationId })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.principalId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt / 1000))
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        const claims = ZPayload.parse(payload);
        return { principalId: claims.sub, organizationId: claims.org };
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
