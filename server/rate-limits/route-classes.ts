import type { Config } from '../config.ts';

/**
 * The route classes with budgets of their own. Sign-in is not one of them: better-auth limits
 * /api/auth/* per address in the same database (server/auth/better-auth.ts, ADR 0009).
 */
export type RouteClass = 'rest' | 'mutate' | 'telemetry' | 'files';

export type Rate = { points: number; seconds: number };

/** Per class: a budget per client address (before authentication) and per principal or API key (after). */
export type RateLimitSettings = Record<RouteClass, { perAddress: Rate | null; perPrincipal: Rate }>;

export function rateLimitSettings(config: Config): RateLimitSettings {
  return {
    rest: { perAddress: config.RATE_LIMIT_REST_PER_IP, perPrincipal: config.RATE_LIMIT_REST_PER_PRINCIPAL },
    // Only zero-cache calls the mutate endpoint, so every push arrives from its address: per principal only.
    mutate: { perAddress: null, perPrincipal: config.RATE_LIMIT_MUTATE_PER_PRINCIPAL },
    telemetry: { perAddress: config.RATE_LIMIT_TELEMETRY_PER_IP, perPrincipal: config.RATE_LIMIT_TELEMETRY_PER_PRINCIPAL },
    files: { perAddress: config.RATE_LIMIT_FILES_PER_IP, perPrincipal: config.RATE_LIMIT_FILES_PER_PRINCIPAL },
  };
}

const startsWithSegment = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * Which budget a request spends, from its path alone (before anything reads its body or credentials);
 * null for what is not limited here: the apps' static files, the health check, sign-in (better-auth's
 * own limits), the Zero query endpoint (zero-cache re-runs it on its own schedule, and a refusal
 * would stop the device's sync), CORS preflights and the development-only pages.
 */
export function routeClassOf(method: string, rawPath: string): RouteClass | null {
  // Security: the router matches paths case-insensitively; so does this, or /API/V1 would go unlimited.
  const path = rawPath.toLowerCase().replace(/\/{2,}/g, '/');
  if (method === 'OPTIONS' || !startsWithSegment(path, '/api')) return null;
  if (path === '/api/health' || startsWithSegment(path, '/api/auth') || path === '/api/zero/query') return null;
  if (path === '/api/zero/mutate') return 'mutate';
  if (startsWithSegment(path, '/api/zero')) return null;
  if (startsWithSegment(path, '/api/telemetry') || startsWithSegment(path, '/api/v1/telemetry')) return 'telemetry';
  if (startsWithSegment(path, '/api/files') || startsWithSegment(path, '/api/v1/files')) return 'files';
  return 'rest';
}
