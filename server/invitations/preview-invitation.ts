import type { Sql } from 'postgres';
import { ZMembershipRole, type AuthContext, type MembershipRole } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { invitationRefusal, openInvitationAsInvitee } from './accept-invitation.ts';
import type { VerifiedEmailOf } from './deps.ts';
import type { InvitationKind } from './invitations.ts';
import { hashInvitationToken } from './secrets.ts';

/** What the accept page shows before the person says yes: the clinic, and as what they are invited. */
export type InvitationPreview = {
  kind: InvitationKind;
  role: MembershipRole | null;
  organization: { id: string; name: string };
  expiresAt: string;
};

/**
 * The invitation a token stands for, as its invitee may see it before accepting, with the same
 * refusals, in the same order, that accepting it now would meet: a page can explain an expired,
 * revoked, used or superseded link, or the wrong account, before anyone presses a button. Reads only.
 */
export async function previewInvitation(
  deps: { sql: Sql; verifiedEmailOf: VerifiedEmailOf },
  auth: AuthContext,
  token: string,
): Promise<InvitationPreview> {
  const hash = hashInvitationToken(token);
  const verifiedEmail = await deps.verifiedEmailOf(auth.principalId);
  return deps.sql.begin(async (tx) => {
    const found = await openInvitationAsInvitee(tx, auth, hash, verifiedEmail);
    const refused = invitationRefusal(found);
    if (refused !== null) throw refused;
    if (found.kind === 'member') {
      const [existing] = await tx`select 1 from memberships where organization_id = ${found.organization_id} and principal_id = ${auth.principalId}`;
      if (existing !== undefined) throw new DomainError('ALREADY_MEMBER', 'already a member of this organisation');
    }
    const [organization] = await tx<{ id: string; name: string }[]>`select id, name from organizations where id = ${found.organization_id}`;
    if (organization === undefined) throw new DomainError('INTERNAL', 'the organisation is not visible');
    return {
      kind: found.kind,
      role: found.role === null ? null : ZMembershipRole.parse(found.role),
      organization,
      expiresAt: found.expires_at.toISOString(),
    };
  });
}
