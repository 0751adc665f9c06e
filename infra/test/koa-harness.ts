import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import Koa from 'koa';
import type { Sql } from 'postgres';
import type { Authenticator } from '../../server/auth/authenticate.ts';
import { loadAuthContext } from '../../server/auth/auth-context.ts';
import { bearerToken, type TokenClaims } from '../../server/auth/tokens.ts';
import { errorEnvelope } from '../../server/errors.ts';
import { createLogger } from '../../server/logger.ts';
import type { AppState } from '../../server/request-context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

export type KoaHarness = {
  db: TestDatabase;
  origin: string;
  /** An access token for a principal, accepted by the harness's authenticator until `stop`. */
  tokenFor(principalId: string, organizationId: string | null): string;
  stop(): Promise<void>;
};

export type HarnessDeps = { sql: Sql; authenticate: Authenticator };

/**
 * Koa routes over HTTP on a fresh database of the shared test cluster, without zero-cache or the
 * identity service: the same request context, error envelope and body parser as server/app.ts, and
 * an authenticator that maps opaque test tokens to claims and then, like the real one, builds the
 * context from the database under RLS. Token cryptography is tested elsewhere; what is tested here
 * is everything after it.
 */
export async function startKoaHarness(superuserUrl: string, seed: (admin: Sql) => Promise<void>, routers: (deps: HarnessDeps) => Router<AppState>[]): Promise<KoaHarness> {
  const db = await freshDatabase(superuserUrl);
  await seed(db.admin);
  const claimsByToken = new Map<string, TokenClaims>();
  const authenticate: Authenticator = async (authorization, request) => {
    const token = bearerToken(authorization);
    const claims = token === null ? undefined : claimsByToken.get(token);
    if (claims === undefined) throw new DomainError('UNAUTHENTICATED', 'token invalid');
    const auth = await loadAuthContext(db.api, claims);
    request.auth = auth;
    return auth;
  };

  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const app = new Koa<AppState>({ proxy: false });
  app.use(async (ctx, next) => {
    const requestId = randomUUID();
    ctx.state.request = { requestId, auth: null, log: log.child({ requestId }), ip: ctx.ip, userAgent: ctx.get('user-agent') || null };
    await next();
  });
  app.use(errorEnvelope);
  app.use(bodyParser({ enableTypes: ['json'] }));
  for (const router of routers({ sql: db.api, authenticate })) app.use(router.routes()).use(router.allowedMethods());

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', () => { resolve(listening); });
    listening.once('error', reject);
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the harness is not listening');
  return {
    db,
    origin: `http://127.0.0.1:${String(address.port)}`,
    tokenFor(principalId, organizationId) {
      const token = `test.${randomBytes(16).toString('hex')}`;
      claimsByToken.set(token, { principalId, organizationId });
      return token;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
      await db.close();
    },
  };
}
