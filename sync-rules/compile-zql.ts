import type { Condition } from '@rocicorp/zero';
import { contextTermHolds, type AccessRule, type Predicate } from './access-rule.ts';
import type { AuthContext } from './context.ts';
import { schema } from './schema.ts';

// The typed ExpressionBuilder is keyed by table; rules are data over any table, so the compiler
// uses only this structural slice of it.
type Builder = {
  cmp(field: string, op: '=', value: string): Condition;
  cmp(field: string, op: 'IS' | 'IS NOT', value: null): Condition;
  and(...conditions: Condition[]): Condition;
  or(...conditions: Condition[]): Condition;
  exists(relationship: string, cb: (query: SubQuery) => SubQuery): Condition;
};
type SubQuery = { where(factory: (eb: Builder) => Condition): SubQuery };

/** Rules speak SQL column names; ZQL speaks the schema's client names. */
function clientColumn(table: string, sqlColumn: string): string {
  const tableSchema = (schema.tables as Record<string, { columns: Record<string, { serverName?: string }> }>)[table];
  if (tableSchema === undefined) throw new Error(`access rule names table ${table}, which is not in the Zero schema`);
  for (const [name, column] of Object.entries(tableSchema.columns)) {
    if ((column.serverName ?? name) === sqlColumn) return name;
  }
  throw new Error(`access rule names column ${table}.${sqlColumn}, which is not in the Zero schema`);
}

function compile(predicate: Predicate, table: string, ctx: AuthContext, eb: Builder): Condition {
  switch (predicate.kind) {
    case 'column-is-context': {
      const value = ctx[predicate.field];
      // An empty OR is false: no context value, no rows.
      return value === null ? eb.or() : eb.cmp(clientColumn(table, predicate.column), '=', value);
    }
    case 'context-in':
    case 'holds-permission':
      return contextTermHolds(predicate, ctx) ? eb.and() : eb.or();
    case 'column-null':
      return eb.cmp(clientColumn(table, predicate.column), predicate.isNull ? 'IS' : 'IS NOT', null);
    case 'exists':
      return eb.exists(predicate.relationship, (query) =>
        query.where((child) => compile(predicate.where, predicate.table, ctx, child)));
    case 'all':
      return eb.and(...predicate.terms.map((term) => compile(term, table, ctx, eb)));
    case 'any':
      return eb.or(...predicate.terms.map((term) => compile(term, table, ctx, eb)));
  }
}

/** The rule as a ZQL `where` factory for this principal. */
export function compileRuleToZql(rule: AccessRule, ctx: AuthContext): (eb: unknown) => Condition {
  return (eb) => compile(rule.predicate, rule.table, ctx, eb as Builder);
}
