import type { Sql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { actAs } from '../db-scope.ts';
import { organizationOf, presentedLink, SHARE_LINK_CODE_SETTING, shareLinkRefusal } from './join-share-link.ts';

/** What the join page shows before the person joins: whose code it is, and whether they already did. */
export type ShareLinkPreview = { organization: { id: string; name: string }; alreadyJoined: boolean };

/**
 * The clinic a code leads to, for a signed-in person, with the answer joining now would give: a
 * revoked or expired code is refused as such; a used-up one too, unless this person already joined
 * through it (joining again is then a no-op, as in joinShareLink). Reads only; counts nothing.
 */
export async function previewShareLink(sql: Sql, auth: AuthContext, code: string): Promise<ShareLinkPreview> {
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    await tx`select set_config(${SHARE_LINK_CODE_SETTING}, ${code}, true)`;
    const link = await presentedLink(tx, code);
    if (link === undefined) throw new DomainError('NOT_FOUND', 'no share link has this code');
    const refused = shareLinkRefusal(link, false);
    if (refused !== null) throw refused;
    const [joined] = await tx`select 1 from share_link_joins where share_link_id = ${link.id} and principal_id = ${auth.principalId}`;
    if (joined === undefined && link.exhausted) throw new DomainError('SHARE_LINK_EXHAUSTED', 'the share link has reached its maximum uses');
    return { organization: await organizationOf(tx, link.organization_id), alreadyJoined: joined !== undefined };
  });
}
