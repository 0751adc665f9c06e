import type { Sql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { actAs } from '../db-scope.ts';
import { requireMemberManager } from '../invitations/human.ts';

export type ActivityView = { principalId: string; lastSeenAt: string };

/** When each principal last used the caller's clinic, newest first (members.manage). */
export async function listActivity(sql: Sql, auth: AuthContext): Promise<ActivityView[]> {
  const organizationId = requireMemberManager(auth);
  const rows = await sql.begin(async (tx) => {
    await actAs(tx, auth);
    return tx<{ principal_id: string; last_seen_at: Date }[]>`
      select principal_id, last_seen_at from principal_activity
      where organization_id = ${organizationId} order by last_seen_at desc, principal_id`;
  });
  return rows.map((row) => ({ principalId: row.principal_id, lastSeenAt: row.last_seen_at.toISOString() }));
}
