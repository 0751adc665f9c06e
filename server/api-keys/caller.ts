import type { TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { can, PERMISSIONS, type Permission } from '../../sync-rules/permissions.ts';
import { actAs } from '../db-scope.ts';

/** The transaction-local setting naming the API key a request was authenticated with. */
export const API_KEY_SETTING = 'app.api_key_id';

/** A person, signed in with an access token. */
export type HumanCaller = { kind: 'human'; auth: AuthContext };

/**
 * A service account, authenticated with one of its API keys. `auth` has the service account's
 * principal and organisation, and no membership or platform role: what it may do is `permissions`,
 * the key's own, and nothing a role would add.
 */
export type ApiKeyCaller = {
  kind: 'api_key';
  auth: AuthContext;
  apiKeyId: string;
  prefix: string;
  permissions: readonly Permission[];
};

/** Who is calling /api/v1. */
export type Caller = HumanCaller | ApiKeyCaller;

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function callerCan(caller: Caller, permission: Permission): boolean {
  return caller.kind === 'api_key' ? caller.permissions.includes(permission) : can(caller.auth, permission);
}

/** The caller's organisation after checking `permission`: the first thing every /api/v1 service does. */
export function requireCallerPermission(caller: Caller, permission: Permission): string {
  if (!callerCan(caller, permission)) throw new DomainError('FORBIDDEN', `missing permission ${permission}`);
  if (caller.auth.organizationId === null) throw new DomainError('FORBIDDEN', 'no organisation selected');
  return caller.auth.organizationId;
}

/**
 * `actAs` for a caller: RLS then sees the principal, and for an API key also the key, which the
 * key-aware policies (db/migrations/0002_principal_kinds.sql) check against its own row.
 */
export async function actAsCaller(tx: TransactionSql, caller: Caller): Promise<void> {
  await actAs(tx, caller.auth);
  await tx`select set_config(${API_KEY_SETTING}, ${caller.kind === 'api_key' ? caller.apiKeyId : ''}, true)`;
}
