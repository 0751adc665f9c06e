import type { Middleware } from 'koa';
import type { Sql } from 'postgres';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../../sync-rules/errors.ts';
import type { CallerAuthenticator } from '../api-v1/authenticate-caller.ts';
import type { Authenticator } from '../auth/authenticate.ts';
import type { Logger } from '../logger.ts';
import type { AppState, RequestContext } from '../request-context.ts';
import { clientAddress } from './client-address.ts';
import { COUNTER_TABLE, counterStoreClient } from './counter-store.ts';
import { routeClassOf, type Rate, type RateLimitSettings, type RouteClass } from './route-classes.ts';

/**
 * Rate limits per route class, per client address and per principal (docs/adr/0018-rate-limits.md).
 * Mount `middleware` before the body parser and the routers, and hand the routers authenticators
 * wrapped by `forPeople` / `forCallers`: the budget a request spends follows from its path, so a
 * new router is limited without any change here.
 */
export type RateLimits = {
  /**
   * Per client address, before the body or any credential is read; also answers every refusal
   * thrown further in (the per-principal ones) with `Retry-After`.
   */
  middleware: Middleware<AppState>;
  /** After `authenticate` has verified a person, one point of their budget for the request's class. */
  forPeople(authenticate: Authenticator): Authenticator;
  /** The same for /api/v1 callers: an API key spends its own budget, a person theirs. */
  forCallers(authenticateCaller: CallerAuthenticator): CallerAuthenticator;
};

export type RateLimitOptions = {
  /** The counters' pool (server/rate-limits/counter-store.ts), logged in as restartix_api. */
  sql: Sql;
  settings: RateLimitSettings;
  storeTimeoutMs: number;
  trustedProxyHops: number;
  log: Logger;
};

type Limiter = Pick<RateLimiterPostgres, 'consume'>;

const FAILURE_LOG_INTERVAL_MS = 60_000;

/** The refusal every limit answers with; the middleware turns `retryAfterSeconds` into the header. */
export function rateLimited(msBeforeNext: number): DomainError {
  return new DomainError('RATE_LIMITED', 'too many requests; try again later', { retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) });
}

export function createRateLimits(options: RateLimitOptions): RateLimits {
  const { log } = options;
  let lastFailureLog = 0;
  const storeClient = counterStoreClient(options.sql, {
    timeoutMs: options.storeTimeoutMs,
    onFailure: (error) => {
      const now = Date.now();
      if (now - lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
      lastFailureLog = now;
      log.warn({ err: error }, 'rate-limit store unavailable: this replica limits in memory until it answers');
    },
  });

  // One limiter removes expired rows for the whole table; the others need not.
  let sweeps = true;
  const limiter = (keyPrefix: string, rate: Rate): Limiter => {
    const limits = { keyPrefix, points: rate.points, duration: rate.seconds };
    const store = new RateLimiterPostgres({
      ...limits,
      storeClient,
      storeType: 'pool',
      tableName: COUNTER_TABLE,
      tableCreated: true,
      clearExpiredByTimeout: sweeps,
      // The database slow or down: each replica counts in its own memory, with the same budget.
      insuranceLimiter: new RateLimiterMemory(limits),
    });
    sweeps = false;
    return store;
  };
  const classes = Object.keys(options.settings) as RouteClass[];
  const perAddress = new Map(classes.flatMap((routeClass) => {
    const rate = options.settings[routeClass].perAddress;
    return rate === null ? [] : [[routeClass, limiter(`${routeClass}/address`, rate)] as const];
  }));
  const perPrincipal = new Map(classes.map((routeClass) => [routeClass, limiter(`${routeClass}/caller`, options.settings[routeClass].perPrincipal)] as const));

  const spend = async (limit: Limiter, key: string) => {
    try {
      await limit.consume(key);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) throw rateLimited(outcome.msBeforeNext);
      // Neither the store nor its insurance decided (never expected): the request goes through.
      log.error({ err: outcome }, 'rate limit undecided; request let through');
    }
  };

  // What the middleware learnt about each request, for the authenticators that run later in it.
  const requests = new WeakMap<RequestContext, { routeClass: RouteClass; principalCounted: boolean }>();
  const spendPrincipal = async (request: RequestContext, key: string) => {
    const seen = requests.get(request);
    // Counted once per request, however many authenticators it passes through.
    if (seen === undefined || seen.principalCounted) return;
    seen.principalCounted = true;
    const limit = perPrincipal.get(seen.routeClass);
    if (limit !== undefined) await spend(limit, key);
  };

  return {
    async middleware(ctx, next) {
      try {
        const routeClass = routeClassOf(ctx.method, ctx.path);
        if (routeClass !== null) {
          requests.set(ctx.state.request, { routeClass, principalCounted: false });
          const limit = perAddress.get(routeClass);
          if (limit !== undefined) await spend(limit, clientAddress(ctx.req.socket.remoteAddress, ctx.get('x-forwarded-for'), options.trustedProxyHops));
        }
        await next();
      } catch (error) {
        const retryAfter = error instanceof DomainError && error.code === 'RATE_LIMITED' ? error.details.retryAfterSeconds : undefined;
        if (typeof retryAfter === 'number') ctx.set('Retry-After', String(retryAfter));
        throw error;
      }
    },
    forPeople(authenticate) {
      return async (authorization, request) => {
        const auth = await authenticate(authorization, request);
        await spendPrincipal(request, `principal:${auth.principalId}`);
        return auth;
      };
    },
    forCallers(authenticateCaller) {
      return async (authorization, request) => {
        const caller = await authenticateCaller(authorization, request);
        await spendPrincipal(request, caller.kind === 'api_key' ? `api-key:${caller.apiKeyId}` : `principal:${caller.auth.principalId}`);
        return caller;
      };
    },
  };
}
