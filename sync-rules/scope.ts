import { ACCESS_RULES, type SyncedTable } from './access-rules.ts';
import { compileRuleToZql } from './compile-zql.ts';
import type { AuthContext } from './context.ts';
import { zql } from './schema.ts';

/**
 * The one way to start a query: the table filtered by its access rule for this principal.
 * Security: every named query and every related() subquery starts here, so what a client may
 * receive never depends on arguments it sent.
 */
export function scoped<T extends SyncedTable>(table: T, ctx: AuthContext): (typeof zql)[T] {
  const query = zql[table] as unknown as { where(factory: unknown): unknown };
  return query.where(compileRuleToZql(ACCESS_RULES[table], ctx)) as (typeof zql)[T];
}

/** For related() callbacks: applies a table's rule to a subquery. */
export function scopeSubquery<Q extends { where(factory: never): unknown }>(table: SyncedTable, query: Q, ctx: AuthContext): Q {
  return (query as unknown as { where(factory: unknown): Q }).where(compileRuleToZql(ACCESS_RULES[table], ctx));
}
