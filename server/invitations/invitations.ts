import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import { ZMembershipRole, type AuthContext, type MembershipRole } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { EventSecrets } from '../events/event-secrets.ts';
import { recordEvent } from '../events/record-event.ts';
import type { MailLocale } from '../notify/categories.ts';
import type { RequestContext } from '../request-context.ts';
import { requireMemberManager } from './human.ts';
import type { InvitationSent } from './invitation-events.ts';
import { mintInvitationToken } from './secrets.ts';

export const INVITATION_KINDS = ['member', 'patient'] as const;
export type InvitationKind = (typeof INVITATION_KINDS)[number];
export type InvitationStatus = 'pending' | 'expired' | 'accepted' | 'revoked';

/** What a clinic's managers see of an invitation. Never its token, nor the token's hash. */
export type InvitationView = {
  id: string;
  organizationId: string;
  kind: InvitationKind;
  email: string;
  name: string | null;
  role: MembershipRole | null;
  locale: MailLocale;
  status: InvitationStatus;
  expiresAt: string;
  createdAt: string;
  createdBy: string | null;
  sentCount: number;
  lastSentAt: string;
  acceptedAt: string | null;
  acceptedBy: string | null;
  revokedAt: string | null;
};

export type NewInvitation = {
  kind: InvitationKind;
  email: string;
  /** Members only; null for a patient. */
  role: MembershipRole | null;
  name: string | null;
  locale: MailLocale;
  expiresInDays: number;
  /** Patients only: the clinic's record of the person, which accepting links to their account. */
  patientId?: string | null;
};

export type InvitationServiceDeps = { sql: Sql; eventSecrets: EventSecrets };

type InvitationRow = {
  id: string;
  organization_id: string;
  kind: InvitationKind;
  email: string;
  name: string | null;
  role: string | null;
  locale: MailLocale;
  status: InvitationStatus;
  expires_at: Date;
  created_by: string | null;
  created_at: Date;
  sent_count: number;
  last_sent_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
};

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;
const view = (row: InvitationRow): InvitationView => ({
  id: row.id,
  organizationId: row.organization_id,
  kind: row.kind,
  email: row.email,
  name: row.name,
  role: row.role === null ? null : ZMembershipRole.parse(row.role),
  locale: row.locale,
  status: row.status,
  expiresAt: row.expires_at.toISOString(),
  createdAt: row.created_at.toISOString(),
  createdBy: row.created_by,
  sentCount: row.sent_count,
  lastSentAt: row.last_sent_at.toISOString(),
  acceptedAt: iso(row.accepted_at),
  acceptedBy: row.accepted_by,
  revokedAt: iso(row.revoked_at),
});

// Security: an explicit column list, so the token's hash (another table) can never ride along.
const selectInvitations = (tx: TransactionSql) => tx`
  select id, organization_id, kind, email, name, role, locale, expires_at, created_by, created_at, sent_count,
    last_sent_at, accepted_at, accepted_by, revoked_at,
    case when accepted_at is not null then 'accepted'
         when revoked_at is not null then 'revoked'
         when expires_at <= now() then 'expired'
         else 'pending' end as status
  from invitations`;

/** Only an owner makes (or renews the link of) another owner. */
function requireRoleGrantable(auth: AuthContext, role: MembershipRole | null): void {
  if (role === 'owner' && auth.membershipRole !== 'owner') throw new DomainError('FORBIDDEN', 'only an owner may invite an owner');
}

/** The caller's clinic's invitation, locked for this transaction; NOT_FOUND alike for missing and foreign. */
async function lockedInvitation(tx: TransactionSql, organizationId: string, id: string): Promise<InvitationRow> {
  const [row] = await tx<InvitationRow[]>`${selectInvitations(tx)} where id = ${id} and organization_id = ${organizationId} for update`;
  if (row === undefined) throw new DomainError('NOT_FOUND', 'invitation not found');
  return row;
}

/**
 * Records that the invitation was sent (created or renewed), with all its mail needs, in the
 * transaction that sent it: the mail goes out from the outbox (invitation-mail.ts), so a crash after
 * commit loses no mail and a retry sends none twice.
 */
async function recordSent(
  tx: TransactionSql,
  secrets: EventSecrets,
  auth: AuthContext,
  request: RequestContext,
  name: 'invitation.created' | 'invitation.resent',
  row: InvitationRow,
  token: string,
): Promise<void> {
  const [names] = await tx<{ organization_name: string; inviter_name: string | null }[]>`
    select o.name as organization_name, (select h.name from humans h where h.principal_id = ${auth.principalId}) as inviter_name
    from organizations o where o.id = ${row.organization_id}`;
  if (names === undefined) throw new DomainError('INTERNAL', 'the organisation is not visible');
  const payload: InvitationSent = {
    invitationId: row.id,
    organizationId: row.organization_id,
    sentCount: row.sent_count,
    kind: row.kind,
    role: row.role === null ? null : ZMembershipRole.parse(row.role),
    email: row.email,
    name: row.name,
    locale: row.locale,
    organizationName: names.organization_name,
    inviterName: names.inviter_name,
    expiresAt: row.expires_at.toISOString(),
  };
  await recordEvent(tx, {
    name,
    version: 1,
    organizationId: row.organization_id,
    actorPrincipalId: auth.principalId,
    requestId: request.requestId,
    payload,
    secret: { token },
  }, secrets);
}

/**
 * Invites a person by email to the caller's clinic, as staff with a role or as a named patient; the
 * mail with the link goes out through the outbox. The token is in the mail only; the database keeps
 * its hash (and the outbox event, until the mail is out). `emailSent`: the mail is committed with
 * the invitation and will be delivered (retried until it is), not that it has already arrived.
 */
export async function createInvitation(
  deps: InvitationServiceDeps,
  auth: AuthContext,
  request: RequestContext,
  input: NewInvitation,
): Promise<{ invitation: InvitationView; emailSent: boolean }> {
  const organizationId = requireMemberManager(auth);
  if ((input.kind === 'member') !== (input.role !== null)) throw new DomainError('INVALID_INPUT', 'a member invitation has a role, a patient invitation none', { field: 'role' });
  requireRoleGrantable(auth, input.role);
  const id = randomUUID();
  const minted = mintInvitationToken();
  const invitation = await deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    if (input.kind === 'member') {
      const [member] = await tx`
        select 1 from memberships m join humans h on h.principal_id = m.principal_id
        where m.organization_id = ${organizationId} and h.email = ${input.email}`;
      if (member !== undefined) throw new DomainError('ALREADY_MEMBER', 'this person is already a member of the organisation');
    }
    const [open] = await tx<{ id: string }[]>`
      select id from invitations
      where organization_id = ${organizationId} and email = ${input.email} and kind = ${input.kind}
        and accepted_at is null and revoked_at is null`;
    if (open !== undefined) {
      throw new DomainError('INVITATION_PENDING', 'this address already has an open invitation; resend it instead', { invitationId: open.id });
    }
    const patientId = input.patientId ?? null;
    if (patientId !== null) {
      if (input.kind !== 'patient') throw new DomainError('INVALID_INPUT', 'only a patient invitation names a patient record', { field: 'patientId' });
      // Security: a live record of this clinic the inviter can see; a guessed id of another's is not found.
      const [record] = await tx`select 1 from patients where id = ${patientId} and organization_id = ${organizationId} and principal_id is null`;
      if (record === undefined) throw new DomainError('NOT_FOUND', 'no patient record of this clinic awaits an account with this id', { field: 'patientId' });
    }
    await tx`insert into invitations (id, organization_id, kind, email, name, role, locale, expires_at, created_by, patient_id)
      values (${id}, ${organizationId}, ${input.kind}, ${input.email}, ${input.name}, ${input.role}, ${input.locale},
              clock_timestamp() + make_interval(days => ${input.expiresInDays}), ${auth.principalId}, ${patientId})`;
    await tx`insert into invitation_tokens (token_hash, invitation_id, organization_id) values (${minted.hash}, ${id}, ${organizationId})`;
    const [row] = await tx<InvitationRow[]>`${selectInvitations(tx)} where id = ${id}`;
    if (row === undefined) throw new DomainError('INTERNAL', 'the invitation was not created');
    // Before the audit row, which the database chains under a lock held until commit.
    await recordSent(tx, deps.eventSecrets, auth, request, 'invitation.created', row, minted.token);
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'invitation.created',
      entityType: 'invitation',
      entityId: id,
      writeId: null,
      changes: { kind: input.kind, email: input.email, role: input.role, expiresAt: row.expires_at.toISOString() },
    });
    return view(row);
  });
  return { invitation, emailSent: true };
}

/** The caller's clinic's invitations, newest first. */
export async function listInvitations(sql: Sql, auth: AuthContext): Promise<InvitationView[]> {
  const organizationId = requireMemberManager(auth);
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const rows = await tx<InvitationRow[]>`${selectInvitations(tx)} where organization_id = ${organizationId} order by created_at desc, id`;
    return rows.map(view);
  });
}

/**
 * Sends an open invitation again, with a new token and a new expiry: the previous link stops working
 * (refused as superseded). Also how an expired invitation is renewed.
 */
export async function resendInvitation(
  deps: InvitationServiceDeps,
  auth: AuthContext,
  request: RequestContext,
  id: string,
  input: { expiresInDays: number },
): Promise<{ invitation: InvitationView; emailSent: boolean }> {
  const organizationId = requireMemberManager(auth);
  const minted = mintInvitationToken();
  const invitation = await deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    const current = await lockedInvitation(tx, organizationId, id);
    requireRoleGrantable(auth, current.role === null ? null : ZMembershipRole.parse(current.role));
    if (current.status === 'accepted') throw new DomainError('INVITATION_USED', 'the invitation has been accepted');
    if (current.status === 'revoked') throw new DomainError('INVITATION_REVOKED', 'the invitation has been revoked');
    await tx`update invitation_tokens set superseded_at = clock_timestamp() where invitation_id = ${id} and superseded_at is null`;
    await tx`insert into invitation_tokens (token_hash, invitation_id, organization_id) values (${minted.hash}, ${id}, ${organizationId})`;
    await tx`update invitations
      set expires_at = clock_timestamp() + make_interval(days => ${input.expiresInDays}), sent_count = sent_count + 1, last_sent_at = clock_timestamp()
      where id = ${id}`;
    const [row] = await tx<InvitationRow[]>`${selectInvitations(tx)} where id = ${id}`;
    if (row === undefined) throw new DomainError('INTERNAL', 'the invitation disappeared');
    // Before the audit row, which the database chains under a lock held until commit.
    await recordSent(tx, deps.eventSecrets, auth, request, 'invitation.resent', row, minted.token);
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'invitation.resent',
      entityType: 'invitation',
      entityId: id,
      writeId: null,
      changes: { sentCount: row.sent_count, expiresAt: row.expires_at.toISOString() },
    });
    return view(row);
  });
  return { invitation, emailSent: true };
}

/** Withdraws an open invitation for good. Revoking a revoked one changes nothing; an accepted one cannot be. */
export async function revokeInvitation(sql: Sql, auth: AuthContext, request: RequestContext, id: string): Promise<void> {
  const organizationId = requireMemberManager(auth);
  await sql.begin(async (tx) => {
    await actAs(tx, auth);
    const current = await lockedInvitation(tx, organizationId, id);
    if (current.status === 'revoked') return;
    if (current.status === 'accepted') throw new DomainError('INVITATION_USED', 'an accepted invitation cannot be revoked');
    await tx`update invitations set revoked_at = clock_timestamp() where id = ${id}`;
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'invitation.revoked',
      entityType: 'invitation',
      entityId: id,
      writeId: null,
      changes: { kind: current.kind, email: current.email },
    });
  });
}
