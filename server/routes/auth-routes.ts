import Router from '@koa/router';
import { fromNodeHeaders } from 'better-auth/node';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { DomainError } from '../../sync-rules/errors.ts';
import { loadAuthContext } from '../auth/auth-context.ts';
import { AUTH_BASE_PATH, type BetterAuth } from '../auth/better-auth.ts';
import { requestAddress } from '../rate-limits/client-address.ts';
import type { AppState } from '../request-context.ts';

const ZSwitchOrganization = z.object({ organizationId: z.uuid() });

/**
 * better-auth's endpoints under /api/auth, through a fetch Request built from Koa's context (the
 * body parser has already read the stream; better-auth gets the raw text). Our additions: the
 * standard Retry-After on 429, the client IP from the socket only, and switching clinic.
 */
export function authRoutes(deps: { auth: BetterAuth; baseURL: string; apiSql: Sql; authSql: Sql; trustedProxyHops: number }): Router<AppState> {
  const router = new Router<AppState>();

  router.all(`${AUTH_BASE_PATH}/{*rest}`, async (ctx) => {
    const headers = fromNodeHeaders(ctx.req.headers);
    // Security: rate limits key on this; a client cannot choose it (only trusted proxies' entries count).
    headers.set('x-forwarded-for', requestAddress(ctx.req.socket.remoteAddress, ctx.get('x-forwarded-for'), deps.trustedProxyHops));
    const raw = (ctx.request as { rawBody?: unknown }).rawBody;
    const hasBody = ctx.method !== 'GET' && ctx.method !== 'HEAD';
    const body = hasBody ? (typeof raw === 'string' ? raw : JSON.stringify(ctx.request.body ?? {})) : undefined;
    const response = await deps.auth.handler(new Request(new URL(ctx.originalUrl, deps.baseURL), { method: ctx.method, headers, ...(body === undefined ? {} : { body }) }));
    ctx.status = response.status;
    response.headers.forEach((value, key) => {
      if (key === 'set-cookie') return;
      ctx.set(key === 'x-retry-after' ? 'Retry-After' : key, value);
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) ctx.set('Set-Cookie', cookies);
    ctx.body = response.body === null ? '' : Buffer.from(await response.arrayBuffer());
  });

  // The clinic a session works in; the next access token carries it.
  router.post('/api/session/organization', async (ctx) => {
    const session = await deps.auth.api.getSession({ headers: fromNodeHeaders(ctx.req.headers) });
    if (session === null) throw new DomainError('UNAUTHENTICATED', 'sign in first');
    const parsed = ZSwitchOrganization.safeParse(ctx.request.body);
    if (!parsed.success) throw new DomainError('INVALID_INPUT', 'organizationId must be a uuid', { field: 'organizationId' });
    // Throws unless the person is a member there; the same answer for an unknown clinic.
    const context = await loadAuthContext(deps.apiSql, { principalId: session.user.id, organizationId: parsed.data.organizationId })
      .catch(() => { throw new DomainError('NOT_FOUND', 'no such organisation'); });
    await deps.authSql`update auth.session set "activeOrganizationId" = ${parsed.data.organizationId} where id = ${session.session.id}`;
    ctx.body = { context };
  });

  return router;
}
