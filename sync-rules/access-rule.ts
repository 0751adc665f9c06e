import type { AuthContext } from './context.ts';
import { can, type OrganizationPermission } from './permissions.ts';

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
  /** The request holds this permission in the organisation it works in (see permissions.ts). */
  | { kind: 'holds-permission'; permission: OrganizationPermission }
  /** The column is null (`isNull`) or is not: soft-deleted rows, records not yet shared. */
  | { kind: 'column-null'; column: string; isNull: boolean }
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
export const holdsPermission = (permission: OrganizationPermission): Predicate =>
  ({ kind: 'holds-permission', permission });
export const columnIsNull = (column: string): Predicate => ({ kind: 'column-null', column, isNull: true });
export const columnIsNotNull = (column: string): Predicate => ({ kind: 'column-null', column, isNull: false });
export const all = (...terms: Predicate[]): Predicate => ({ kind: 'all', terms });
export const any = (...terms: Predicate[]): Predicate => ({ kind: 'any', terms });
export const exists = (spec: Omit<Extract<Predicate, { kind: 'exists' }>, 'kind'>): Predicate =>
  ({ kind: 'exists', ...spec });

/** Evaluates the parts of a predicate that depend only on the context (used by the ZQL compiler). */
export function contextTermHolds(term: Extract<Predicate, { kind: 'context-in' | 'holds-permission' }>, ctx: AuthContext): boolean {
  if (term.kind === 'holds-permission') return can(ctx, term.permission);
  const value = ctx[term.field];
  return value !== null && term.values.includes(value);
}
