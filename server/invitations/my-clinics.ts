import type { Sql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { actAs } from '../db-scope.ts';

/** Opens migration 0011's organizations policy for this transaction only: the clinics are not synced. */
const READING_OWN_CLINICS_SETTING = 'app.reading_own_clinics';

/** A clinic a person joined as a patient, and when they first did. */
export type MyClinic = { id: string; name: string; joinedAt: string };

/**
 * The clinics the signed-in person joined as a patient: through a share-link code, or by accepting a
 * patient invitation. Staff memberships are not listed: this is the Portal's list. Read under RLS as
 * the person (migration 0011): only their own joins and accepted invitations, and only those clinics.
 */
export async function listMyClinics(sql: Sql, auth: AuthContext): Promise<MyClinic[]> {
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    await tx`select set_config(${READING_OWN_CLINICS_SETTING}, 'on', true)`;
    const rows = await tx<{ id: string; name: string; joined_at: Date }[]>`
      select o.id, o.name, min(joined.at) as joined_at
      from (
        select organization_id, joined_at as at from share_link_joins where principal_id = ${auth.principalId}
        union all
        select organization_id, accepted_at from invitations where kind = 'patient' and accepted_by = ${auth.principalId}
      ) joined
      join organizations o on o.id = joined.organization_id
      group by o.id, o.name
      order by o.name, o.id`;
    return rows.map((row) => ({ id: row.id, name: row.name, joinedAt: row.joined_at.toISOString() }));
  });
}
