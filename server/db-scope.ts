import type { TransactionSql } from 'postgres';
import { ROLES } from '../db/roles.ts';
import { CONTEXT_SETTINGS, PERMISSIONS_SETTING, type AuthContext } from '../sync-rules/context.ts';
import { organizationPermissionsOf } from '../sync-rules/permissions.ts';

/**
 * Makes the rest of this transaction run as the runtime role on behalf of `auth`: RLS policies read
 * these settings, and ask for permissions (app.permissions) rather than for role names.
 * Transaction-local, so a pooled connection never carries one request's principal into the next.
 */
export async function actAs(tx: TransactionSql, auth: AuthContext): Promise<void> {
  await tx`select
    set_config(${CONTEXT_SETTINGS.principalId}, ${auth.principalId}, true),
    set_config(${CONTEXT_SETTINGS.organizationId}, ${auth.organizationId ?? ''}, true),
    set_config(${CONTEXT_SETTINGS.membershipRole}, ${auth.membershipRole ?? ''}, true),
    set_config(${CONTEXT_SETTINGS.platformRole}, ${auth.platformRole ?? ''}, true),
    set_config(${PERMISSIONS_SETTING}, ${organizationPermissionsOf(auth).join(',')}, true)`;
  await tx.unsafe(`set local role ${ROLES.runtime}`);
}

/** Back to the login role, for what the sync engine writes after our code in the same transaction. */
export async function stopActing(tx: TransactionSql): Promise<void> {
  await tx.unsafe('reset role');
}
