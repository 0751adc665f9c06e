import type { Context, Next } from 'koa';
import type { Sql } from 'postgres';
import { appendAudit, outcomeOf, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import { toDomainError } from '../errors.ts';
import type { AppState } from '../request-context.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
// The REST surfaces that write; the Zero mutate endpoint audits its own refusals (server/mutate/audit-refusal.ts).
const AUDITED_PREFIXES = ['/api/v1/', '/api/platform/'];

/**
 * A refused or failed write over REST is recorded like a refused mutation: by whom, on which route,
 * with which code, in a short transaction of its own as that principal (the request's own, if any,
 * rolled back). Only after authentication: an anonymous request has no actor, and the rate limits
 * and better-auth's logs cover those. The route's pattern is recorded, never the path: paths carry
 * share-link codes and invitation tokens.
 */
export function auditRefusedWrites(sql: Sql) {
  return async (ctx: Context & { state: AppState }, next: Next): Promise<void> => {
    try {
      await next();
    } catch (thrown) {
      const auth = ctx.state.request.auth;
      if (auth !== null && !READS.has(ctx.method) && AUDITED_PREFIXES.some((prefix) => ctx.path.startsWith(prefix))) {
        const error = toDomainError(thrown);
        const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
        try {
          await sql.begin(async (tx) => {
            await actAs(tx, auth);
            await appendAudit(tx, {
              ...requestAuditFields(ctx.state.request),
              actorPrincipalId: auth.principalId,
              organizationId: auth.organizationId,
              action: 'api.refused',
              entityType: 'route',
              entityId: `${ctx.method} ${typeof route === 'string' ? route : 'unmatched'}`,
              writeId: null,
              changes: {},
              outcome: outcomeOf(error.code),
              errorCode: error.code,
            });
          });
        } catch (error) {
          ctx.state.request.log.error({ err: error, code: toDomainError(thrown).code }, 'a refused REST write could not be audited');
        }
      }
      throw thrown;
    }
  };
}
