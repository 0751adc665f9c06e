import { randomUUID } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import type { Sql } from 'postgres';
import { createAuthenticator } from './auth/authenticate.ts';
import type { TokenService } from './auth/tokens.ts';
import { createZeroDbProvider } from './db.ts';
import { errorEnvelope } from './errors.ts';
import type { Logger } from './logger.ts';
import type { AppState } from './request-context.ts';
import { devLoginRoutes } from './routes/dev-login.ts';
import { sessionRoutes } from './routes/session.ts';
import { zeroEndpoints, type ZeroLogLevel } from './routes/zero-endpoints.ts';
import { staticApps } from './static-apps.ts';

export type AppDeps = {
  log: Logger;
  apiSql: Sql;
  tokens: TokenService;
  zeroApiKey: string;
  /** Set only when the development login is enabled. */
  devLookupSql: Sql | null;
  distDir: string;
};

/** Zero's own logs follow ours, but never below warn: its per-mutation error lines duplicate ours. */
function zeroLogLevel(level: string): ZeroLogLevel {
  return level === 'debug' || level === 'trace' ? 'debug' : 'error';
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The core API: one Koa app for the API, the Zero endpoints and the three PWAs. */
export function createApp(deps: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>({ proxy: false });
  const authenticate = createAuthenticator(deps.apiSql, deps.tokens);

  app.use(async (ctx, next) => {
    const presented = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(presented) ? presented : randomUUID();
    ctx.state.request = { requestId, auth: null, log: deps.log.child({ requestId }) };
    ctx.set('X-Request-Id', requestId);
    await next();
  });
  app.use(errorEnvelope);
  app.use(staticApps(deps.distDir));
  // Zero pushes can be large after a long offline stretch.
  app.use(bodyParser({ jsonLimit: '10mb', enableTypes: ['json'] }));

  const routers = [
    zeroEndpoints({ authenticate, dbProvider: createZeroDbProvider(deps.apiSql), apiKey: deps.zeroApiKey, zeroLogLevel: zeroLogLevel(deps.log.level) }),
    sessionRoutes({ authenticate }),
    ...(deps.devLookupSql === null ? [] : [devLoginRoutes({ lookupSql: deps.devLookupSql, apiSql: deps.apiSql, tokens: deps.tokens })]),
  ];
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  return app;
}
