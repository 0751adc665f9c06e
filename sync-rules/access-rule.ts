import type { AuthContext } from './context.ts';

type ContextValueField = 'principalId' | 'organizationId';
type ContextRoleField = 'membershipRole' | 'platformRole';

/**
 * A row predicate over one table, written once and compiled twice: to SQL for the RLS policy
 * (compile-sql.ts) and to a ZQL condition for the query endpoint (compile-zql.ts).
 * Kept deliberately small: what cannot be expressed here cannot silently differ between the two.
 */
export type Predicate =
  | { kind: 'column-is-context'; column: string; field: ContextValueField }
  | { kind: 'context-in'; field: ContextRoleField; values: readonly string[] }
  | {
      kind: 'exists';
      /** ZQL relationship name on the parent table. */
      relationship: string;
      table: string;
      /** child.childColumn = parent.parentColumn */
      childColumn: string;
      parentColumn: string;
      where: Predicate;
    }
  | { kind: 'all'; terms: readonly Predicate[] }
  | { kind: 'any'; terms: readonly Predicate[] };

export type AccessRule = {
  table: string;
  /** Why this rule is what it is, for reviewers. */
  reason: string;
  predicate: Predicate;
};

export const columnIsContext = (column: string, field: ContextValueField): Predicate =>
  ({ kind: 'column-is-context', column, field });
export const contextIn = (field: ContextRoleField, values: readonly string[]): Predicate =>
  ({ kind: 'context-in', field, values });
export const all = (...terms: Predicate[]): Predicate => ({ kind: 'all', terms });
export const any = (...terms: Predicate[]): Predicate => ({ kind: 'any', terms });
export const exists = (spec: Omit<Extract<Predicate, { kind: 'exists' }>, 'kind'>): Predicate =>
  ({ kind: 'exists', ...spec });

/** Evaluates the parts of a predicate that depend only on the context (used by the ZQL compiler). */
export function contextTermHolds(term: Extract<Predicate, { kind: 'context-in' }>, ctx: AuthContext): boolean {
  const value = ctx[term.field];
  return value !== null && term.values.includes(value);
}
