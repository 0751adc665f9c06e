import type { TransactionSql } from 'postgres';
import { ZPlatformRole, type AuthContext, type PlatformRole } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { can, type PlatformPermission } from '../../sync-rules/permissions.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import type { PlatformDeps } from './deps.ts';

/**
 * Platform operators: who holds a platform role, and granting, changing and revoking it. Every read
 * and change goes through the database functions of db/migrations/0010_platform_operators.sql,
 * which check the acting role again, refuse changing one's own role or demoting the last superadmin,
 * and write the audit row with the change. This module checks the permission first and turns the
 * functions' answers into the API's.
 */

export type OperatorView = {
  principalId: string;
  name: string;
  email: string;
  role: PlatformRole;
  /** Whether the account has a second factor enrolled; operators cannot act until it has. */
  secondFactor: boolean;
};

type OperatorRow = { principal_id: string; email: string; name: string; platform_role: string };

type ServiceDeps = Pick<PlatformDeps, 'sql' | 'secondFactorsOf'>;

/** The first thing every service here does, before anything is looked up. */
function requirePlatformPermission(auth: AuthContext, permission: PlatformPermission): void {
  if (!can(auth, permission)) throw new DomainError('FORBIDDEN', `missing permission ${permission}`);
}

async function operatorRows(tx: TransactionSql): Promise<OperatorRow[]> {
  return tx<OperatorRow[]>`select principal_id, email, name, platform_role from app_platform_operators()`;
}

async function withSecondFactors(deps: ServiceDeps, rows: readonly OperatorRow[]): Promise<OperatorView[]> {
  const enrolled = await deps.secondFactorsOf(rows.map((row) => row.principal_id));
  return rows.map((row) => ({
    principalId: row.principal_id,
    name: row.name,
    email: row.email,
    role: ZPlatformRole.parse(row.platform_role),
    secondFactor: enrolled.has(row.principal_id),
  }));
}

async function oneView(deps: ServiceDeps, row: OperatorRow): Promise<OperatorView> {
  const [view] = await withSecondFactors(deps, [row]);
  if (view === undefined) throw new DomainError('INTERNAL', 'the operator could not be read back');
  return view;
}

/** Sets (or, with null, removes) a person's platform role; the role they held before. */
async function setPlatformRole(tx: TransactionSql, request: RequestContext, target: string, role: PlatformRole | null): Promise<PlatformRole | null> {
  const [row] = await tx<{ previous: string | null }[]>`select app_set_platform_role(${target}, ${role}, ${request.requestId}) as previous`;
  return row === undefined || row.previous === null ? null : ZPlatformRole.parse(row.previous);
}

async function operatorAfterChange(tx: TransactionSql, principalId: string): Promise<OperatorRow> {
  const row = (await operatorRows(tx)).find((operator) => operator.principal_id === principalId);
  if (row === undefined) throw new DomainError('INTERNAL', 'the operator is not listed after the change');
  return row;
}

/** Every operator, by name. Both operator roles; support engineers read only. */
export async function listOperators(deps: ServiceDeps, auth: AuthContext): Promise<OperatorView[]> {
  requirePlatformPermission(auth, 'platform.operators.read');
  const rows = await deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    return operatorRows(tx);
  });
  return withSecondFactors(deps, rows);
}

/**
 * Grants a platform role to the existing account with this address. An address without an account
 * is refused as ACCOUNT_NOT_FOUND: only a superadmin can ask, who must be able to tell a typo from
 * someone who still has to sign up; hiding it would not hide much either, since a granted role shows
 * in the list at once. An existing operator is refused too: their role is changed from the list.
 */
export async function grantOperator(
  deps: ServiceDeps,
  auth: AuthContext,
  request: RequestContext,
  input: { email: string; role: PlatformRole },
): Promise<OperatorView> {
  requirePlatformPermission(auth, 'platform.manage');
  const row = await deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    const [found] = await tx<{ id: string | null }[]>`select app_human_for_email(${input.email}) as id`;
    const target = found?.id ?? null;
    if (target === null) throw new DomainError('ACCOUNT_NOT_FOUND', 'no account has this address; ask the person to sign up first', { field: 'email' });
    // Thrown after the function ran, so a change it made (and its audit row) rolls back with it.
    if ((await setPlatformRole(tx, request, target, input.role)) !== null) {
      throw new DomainError('ALREADY_OPERATOR', 'this person is already a platform operator; change their role instead', { principalId: target });
    }
    return operatorAfterChange(tx, target);
  });
  return oneView(deps, row);
}

/** Changes an operator's role. Someone who holds none is not an operator: NOT_FOUND. */
export async function changeOperatorRole(
  deps: ServiceDeps,
  auth: AuthContext,
  request: RequestContext,
  principalId: string,
  role: PlatformRole,
): Promise<OperatorView> {
  requirePlatformPermission(auth, 'platform.manage');
  const row = await deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    if ((await setPlatformRole(tx, request, principalId, role)) === null) throw new DomainError('NOT_FOUND', 'no such operator');
    return operatorAfterChange(tx, principalId);
  });
  return oneView(deps, row);
}

/** Takes an operator's platform role away; their account and memberships stay. */
export async function revokeOperator(deps: ServiceDeps, auth: AuthContext, request: RequestContext, principalId: string): Promise<void> {
  requirePlatformPermission(auth, 'platform.manage');
  await deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    if ((await setPlatformRole(tx, request, principalId, null)) === null) throw new DomainError('NOT_FOUND', 'no such operator');
  });
}
