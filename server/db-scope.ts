import type { TransactionSql } from 'postgres';
import { ROLES } from '../db/roles.ts';
import { CONTEXT_SETTINGS, type AuthContext } from '../sync-rules/context.ts';

/**
 * Makes the rest of this transaction run as the runtime role on behalf of `auth`: RLS policies read
 * these settings. Transaction-local, so a pooled connection never carries one request's principal
 * into the next.
 */
export async function actAs(tx: TransactionSql, auth: AuthContext): Promise<void> {
  await tx`select
    set_config(${CONTEXT_SETTINGS.principalId}, ${auth.principalId}, true),
    set_config(${CONTEXT_SETTINGS.organizationId}, ${auth.organizationId ?? ''}, true),
    set_config(${CONTEXT_SETTINGS.membershipRole}, ${auth.membershipRole ?? ''}, true),
    set_config(${CONTEXT_SETTINGS.platformRole}, ${auth.platformRole ?? ''}, true)`;
  await tx.unsafe(`set local role ${ROLES.runtime}`);
}

/** Back to the login role, for what the sync engine writes after our code in the same transaction. */
export async function stopActing(tx: TransactionSql): Promise<void> {
  await tx.unsafe('reset role');
}
