import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import { ZMembershipRole, type AuthContext, type MembershipRole } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import type { VerifiedEmailOf } from './deps.ts';
import type { InvitationKind } from './invitations.ts';
import { enrolJoinedPatient, linkInvitedPatient } from '../patients/enrolment.ts';
import { hashInvitationToken } from './secrets.ts';

/** The transaction-local setting naming the presented token (its SHA-256, hex); see migration 0006. */
export const INVITATION_TOKEN_SETTING = 'app.invitation_token_hash';

export type AcceptedInvitation = {
  invitationId: string;
  kind: InvitationKind;
  role: MembershipRole | null;
  /** The membership created; null for a patient invitation. */
  membershipId: string | null;
  /** The clinic's record of the person, for a patient invitation; null for a member. */
  patientId: string | null;
  organization: { id: string; name: string };
};

export type PresentedRow = {
  invitation_id: string;
  organization_id: string;
  kind: InvitationKind;
  email: string;
  role: string | null;
  expires_at: Date;
  superseded: boolean;
  accepted: boolean;
  revoked: boolean;
  expired: boolean;
};

/**
 * The invitation the presented token belongs to, as it is now, with that token's own state. The
 * token's hash must already be in INVITATION_TOKEN_SETTING: that is what RLS admits the row by.
 */
export async function presentedInvitation(tx: TransactionSql, hash: Buffer): Promise<PresentedRow | undefined> {
  const [row] = await tx<PresentedRow[]>`
    select i.id as invitation_id, i.organization_id, i.kind, i.email, i.role, i.expires_at,
      t.superseded_at is not null as superseded, i.accepted_at is not null as accepted,
      i.revoked_at is not null as revoked, i.expires_at <= clock_timestamp() as expired
    from invitation_tokens t join invitations i on i.id = t.invitation_id
    where t.token_hash = ${hash}`;
  return row;
}

/** Why a token no longer works, most final first: accepted, revoked, replaced by a newer mail, expired. */
export function invitationRefusal(row: PresentedRow): DomainError | null {
  if (row.accepted) return new DomainError('INVITATION_USED', 'the invitation has already been accepted');
  if (row.revoked) return new DomainError('INVITATION_REVOKED', 'the invitation has been revoked');
  if (row.superseded) return new DomainError('INVITATION_SUPERSEDED', 'a newer invitation was sent; use its link');
  if (row.expired) return new DomainError('INVITATION_EXPIRED', 'the invitation has expired');
  return null;
}

/**
 * Only the person the invitation was sent to, signed in with that verified address, may see what it
 * offers or accept it (see acceptInvitation on why this is not NOT_FOUND). Checked before anything
 * of the invitation's state or clinic is disclosed.
 */
function requireInvitee(row: PresentedRow, verifiedEmail: string | null): void {
  if (verifiedEmail === null || verifiedEmail !== row.email.toLowerCase()) {
    throw new DomainError('INVITATION_WRONG_ACCOUNT', 'the invitation was sent to another address; sign in with that one');
  }
}

/**
 * Opens the invitation a token stands for, in `tx`, as the signed-in person: acts as them, presents
 * the token's hash to RLS, and refuses a missing invitation or one sent to another address, before
 * anything of its state is disclosed. Both previewing and accepting start here.
 */
export async function openInvitationAsInvitee(tx: TransactionSql, auth: AuthContext, hash: Buffer, verifiedEmail: string | null): Promise<PresentedRow> {
  await actAs(tx, auth);
  await tx`select set_config(${INVITATION_TOKEN_SETTING}, ${hash.toString('hex')}, true)`;
  const found = await presentedInvitation(tx, hash);
  if (found === undefined) throw new DomainError('NOT_FOUND', 'invitation not found');
  requireInvitee(found, verifiedEmail);
  return found;
}

/**
 * Accepts an invitation as the signed-in person it was sent to, in one transaction: the invitation is
 * marked accepted and, for staff, the membership with the invited role is created, both audited.
 * Anything refused writes nothing.
 *
 * Who may accept: the person whose verified address is the invitation's (compared lower-cased).
 * Security: someone else signed in with the link gets INVITATION_WRONG_ACCOUNT (403), not NOT_FOUND.
 * "The same answer for missing and forbidden" keeps guessable ids from being probed; a 256-bit token
 * cannot be guessed, so whoever reaches this point holds a real link, most often the invitee signed
 * in with another of their addresses, and is told what to do. Neither the address nor anything of
 * the clinic is revealed, and the check comes before any state of the invitation is disclosed.
 *
 * Accepting a patient invitation makes the person the clinic's patient: linked to the record the
 * invitation names (server/patients/enrolment.ts), or enrolled with a new one.
 */
export async function acceptInvitation(
  deps: { sql: Sql; verifiedEmailOf: VerifiedEmailOf },
  auth: AuthContext,
  request: RequestContext,
  token: string,
): Promise<AcceptedInvitation> {
  const hash = hashInvitationToken(token);
  const verifiedEmail = await deps.verifiedEmailOf(auth.principalId);
  return deps.sql.begin(async (tx) => {
    const found = await openInvitationAsInvitee(tx, auth, hash, verifiedEmail);
    // Serialise with a concurrent accept, resend or revoke, then judge the invitation as it is now.
    // The lock goes through the invitee's update policy: it admits only the invited address.
    const locked = await tx`select id from invitations where id = ${found.invitation_id} for update`;
    if (locked.length !== 1) throw new DomainError('INVITATION_WRONG_ACCOUNT', 'the invitation was sent to another address; sign in with that one');
    const current = await presentedInvitation(tx, hash);
    if (current === undefined) throw new DomainError('NOT_FOUND', 'invitation not found');
    const refused = invitationRefusal(current);
    if (refused !== null) throw refused;

    const organizationId = current.organization_id;
    const role = current.role === null ? null : ZMembershipRole.parse(current.role);
    if (current.kind === 'member') {
      const [existing] = await tx`select 1 from memberships where organization_id = ${organizationId} and principal_id = ${auth.principalId}`;
      if (existing !== undefined) throw new DomainError('ALREADY_MEMBER', 'already a member of this organisation');
    }
    await tx`update invitations set accepted_at = clock_timestamp(), accepted_by = ${auth.principalId} where id = ${current.invitation_id}`;
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'invitation.accepted',
      entityType: 'invitation',
      entityId: current.invitation_id,
      writeId: null,
      changes: { kind: current.kind, role },
    });

    let membershipId: string | null = null;
    if (current.kind === 'member' && role !== null) {
      membershipId = randomUUID();
      // RLS admits this insert only because the invitation for this clinic and role was accepted by
      // this principal within this transaction (memberships_insert_by_invitation).
      await tx`insert into memberships (id, organization_id, principal_id, role)
        values (${membershipId}, ${organizationId}, ${auth.principalId}, ${role})`;
      await appendAudit(tx, {
        ...requestAuditFields(request),
        actorPrincipalId: auth.principalId,
        organizationId,
        action: 'membership.created',
        entityType: 'membership',
        entityId: membershipId,
        writeId: null,
        changes: { principalId: auth.principalId, role, invitationId: current.invitation_id },
      });
    }

    let patientId: string | null = null;
    if (current.kind === 'patient') {
      const [named] = await tx<{ patient_id: string | null }[]>`select patient_id from invitations where id = ${current.invitation_id}`;
      patientId = named?.patient_id === null || named === undefined
        ? await enrolJoinedPatient(tx, auth, request, organizationId)
        : await linkInvitedPatient(tx, auth, request, current.invitation_id, organizationId);
    }

    const [organization] = await tx<{ id: string; name: string }[]>`select id, name from organizations where id = ${organizationId}`;
    if (organization === undefined) throw new DomainError('INTERNAL', 'the organisation is not visible');
    return { invitationId: current.invitation_id, kind: current.kind, role, membershipId, patientId, organization };
  });
}
