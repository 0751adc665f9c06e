import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import { enrolJoinedPatient } from '../patients/enrolment.ts';
import type { RequestContext } from '../request-context.ts';

/** The transaction-local setting naming the presented code; see migration 0006. */
export const SHARE_LINK_CODE_SETTING = 'app.share_link_code';

export type JoinedShareLink = {
  organization: { id: string; name: string };
  joinedAt: string;
  /** True when this person had already joined through this link: nothing was counted again. */
  alreadyJoined: boolean;
};

type LinkRow = { id: string; organization_id: string; revoked: boolean; expired: boolean; exhausted: boolean };

/** The link of a presented code; the code must already be in SHARE_LINK_CODE_SETTING (RLS admits it by that). */
export async function presentedLink(tx: TransactionSql, code: string): Promise<LinkRow | undefined> {
  const [row] = await tx<LinkRow[]>`
    select id, organization_id, revoked_at is not null as revoked, expires_at <= clock_timestamp() as expired,
      (max_uses is not null and uses >= max_uses) as exhausted
    from share_links where code = ${code}`;
  return row;
}

export function shareLinkRefusal(link: LinkRow, includingExhausted: boolean): DomainError | null {
  if (link.revoked) return new DomainError('SHARE_LINK_REVOKED', 'the share link has been revoked');
  if (link.expired) return new DomainError('SHARE_LINK_EXPIRED', 'the share link has expired');
  if (includingExhausted && link.exhausted) return new DomainError('SHARE_LINK_EXHAUSTED', 'the share link has reached its maximum uses');
  return null;
}

export async function organizationOf(tx: TransactionSql, organizationId: string): Promise<{ id: string; name: string }> {
  const [organization] = await tx<{ id: string; name: string }[]>`select id, name from organizations where id = ${organizationId}`;
  if (organization === undefined) throw new DomainError('INTERNAL', 'the organisation is not visible');
  return organization;
}

/**
 * Joins the clinic of a share-link's code as the signed-in person: records who joined and when, and
 * counts one use, in one transaction. Past its maximum uses, expired or revoked, the code is refused
 * with that reason and nothing is written. The same person joining again through the same link is
 * told so and counted once. Joining makes the person the clinic's patient (server/patients/enrolment.ts).
 *
 * Security: the count cannot pass the maximum, however many join at once. The increment is one
 * conditional UPDATE: concurrent joins queue on the row's lock and each re-checks `uses < max_uses`
 * against the committed count, so the last places go to exactly as many people as are left; the
 * database also refuses `uses > max_uses` (share_links_uses_within_max) and any increment of a
 * revoked or expired link (share_links_guard).
 */
export async function joinShareLink(sql: Sql, auth: AuthContext, request: RequestContext, code: string): Promise<JoinedShareLink> {
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    await tx`select set_config(${SHARE_LINK_CODE_SETTING}, ${code}, true)`;
    const link = await presentedLink(tx, code);
    if (link === undefined) throw new DomainError('NOT_FOUND', 'no share link has this code');
    const refused = shareLinkRefusal(link, false);
    if (refused !== null) throw refused;

    const joinId = randomUUID();
    const [joined] = await tx<{ joined_at: Date }[]>`
      insert into share_link_joins (id, share_link_id, organization_id, principal_id)
      values (${joinId}, ${link.id}, ${link.organization_id}, ${auth.principalId})
      on conflict (share_link_id, principal_id) do nothing
      returning joined_at`;
    if (joined === undefined) {
      const [earlier] = await tx<{ joined_at: Date }[]>`
        select joined_at from share_link_joins where share_link_id = ${link.id} and principal_id = ${auth.principalId}`;
      await enrolJoinedPatient(tx, auth, request, link.organization_id);
      return { organization: await organizationOf(tx, link.organization_id), joinedAt: (earlier?.joined_at ?? new Date()).toISOString(), alreadyJoined: true };
    }

    const counted = await tx`
      update share_links set uses = uses + 1
      where id = ${link.id} and revoked_at is null and expires_at > clock_timestamp() and (max_uses is null or uses < max_uses)
      returning uses`;
    if (counted.length !== 1) {
      // Someone took the last place, or the link was revoked, while we waited: say which. The throw
      // rolls the join back.
      const now = await presentedLink(tx, code);
      throw (now === undefined ? null : shareLinkRefusal(now, true)) ?? new DomainError('SHARE_LINK_EXHAUSTED', 'the share link has reached its maximum uses');
    }
    await enrolJoinedPatient(tx, auth, request, link.organization_id);
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId: link.organization_id,
      action: 'share_link.joined',
      entityType: 'share_link',
      entityId: link.id,
      writeId: null,
      changes: { joinId },
    });
    return { organization: await organizationOf(tx, link.organization_id), joinedAt: joined.joined_at.toISOString(), alreadyJoined: false };
  });
}
