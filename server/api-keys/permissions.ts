import { DomainError } from '../../sync-rules/errors.ts';
import { can, type OrganizationPermission, type Permission } from '../../sync-rules/permissions.ts';
import type { Caller } from './caller.ts';

/**
 * What a key may be granted: organisation permissions only, never a platform operator's, and never
 * the management of people, roles, service accounts or keys (a key cannot mint keys). A permission
 * joins this list with the first /api/v1 route that enforces it and its RLS policy for keys.
 */
export const API_KEY_PERMISSIONS = ['locations.read', 'locations.manage', 'members.read'] as const satisfies readonly OrganizationPermission[];

/** Held by owner and admin; the RLS policies on service_accounts and api_keys admit those two roles. */
export const MANAGE_SERVICE_ACCOUNTS: Permission = 'service_accounts.manage';

/**
 * Managing service accounts and keys takes a person: an API key is refused whatever it holds,
 * before anything is looked up. Returns the organisation managed.
 */
export function requireKeyManager(caller: Caller): string {
  if (caller.kind !== 'human') throw new DomainError('FORBIDDEN', 'API keys cannot manage service accounts or keys');
  if (caller.auth.organizationId === null) throw new DomainError('FORBIDDEN', 'no organisation selected');
  if (!can(caller.auth, MANAGE_SERVICE_ACCOUNTS)) throw new DomainError('FORBIDDEN', `missing permission ${MANAGE_SERVICE_ACCOUNTS}`);
  return caller.auth.organizationId;
}

/** A person can only hand a key what they hold themself. */
export function requireGrantable(caller: Caller, permissions: readonly Permission[]): void {
  for (const permission of permissions) {
    if (caller.kind !== 'human' || !can(caller.auth, permission)) {
      throw new DomainError('FORBIDDEN', `cannot grant ${permission}, which you do not hold`, { permission });
    }
  }
}
