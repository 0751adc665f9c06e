import Router from '@koa/router';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { DEMO_ACCOUNTS } from '../../seeds/demo.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { loadAuthContext } from '../auth/auth-context.ts';
import type { TokenClaims } from '../auth/tokens.ts';
import type { AppState } from '../request-context.ts';

export const ZDevLoginBody = z.object({ email: z.email().toLowerCase(), organizationId: z.uuid().optional() });

type Row = { principal_id: string; name: string; email: string; locale: string };
type MembershipRow = { organization_id: string; name: string; role: string };

/**
 * Development sign-in: a seeded principal by email, no password. Replaced by the identity issue;
 * never enabled in production (config refuses DEV_LOGIN=true there).
 * `lookupSql` bypasses RLS, because nobody is signed in yet when we look the person up.
 */
export function devLoginRoutes(deps: {
  lookupSql: Sql;
  apiSql: Sql;
  issue: (claims: TokenClaims) => Promise<{ token: string; expiresAt: number }>;
}): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/api/dev/accounts', (ctx) => {
    ctx.body = { accounts: DEMO_ACCOUNTS };
  });

  router.post('/api/dev/login', async (ctx) => {
    const parsed = ZDevLoginBody.safeParse(ctx.request.body);
    if (!parsed.success) throw new DomainError('INVALID_INPUT', 'an email is required', { field: 'email' });
    const { email, organizationId } = parsed.data;
    const [human] = await deps.lookupSql<Row[]>`
      select principal_id, name, email, locale from humans where email = ${email}`;
    // The same answer whether the email is unknown or not allowed: no account probing.
    if (human === undefined) throw new DomainError('UNAUTHENTICATED', 'no account for that email');
    const organizations = await deps.lookupSql<MembershipRow[]>`
      select o.id as organization_id, o.name, m.role from memberships m join organizations o on o.id = m.organization_id
      where m.principal_id = ${human.principal_id} order by o.name`;
    const chosen = organizationId ?? organizations[0]?.organization_id ?? null;
    if (chosen !== null && !organizations.some((o) => o.organization_id === chosen)) {
      throw new DomainError('FORBIDDEN', 'not a member of that organisation');
    }
    const claims = { principalId: human.principal_id, organizationId: chosen };
    const { token, expiresAt } = await deps.issue(claims);
    ctx.body = {
      token,
      expiresAt,
      context: await loadAuthContext(deps.apiSql, claims),
      human: { name: human.name, email: human.email, locale: human.locale },
      organizations: organizations.map((o) => ({ id: o.organization_id, name: o.name, role: o.role })),
    };
  });

  return router;
}
