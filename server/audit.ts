import { isIP } from 'node:net';
import type { TransactionSql } from 'postgres';
import { z } from 'zod';
import type { ErrorCode } from '../sync-rules/errors.ts';
import { AUDIT_ACTIONS } from '../sync-rules/mutators.ts';
import { auditDiff, ENTITY_TABLES, redactRecord, type AuditRecord } from './audit/redact.ts';
import type { RequestContext } from './request-context.ts';

/**
 * Actions of writes that are not Zero mutators: the /api/v1 management routes (server/api-keys/),
 * invitations and share-links (server/invitations/).
 */
export const API_AUDIT_ACTIONS = [
  'service_account.created', 'api_key.created', 'api_key.revoked',
  'invitation.created', 'invitation.resent', 'invitation.revoked', 'invitation.accepted', 'membership.created',
  'share_link.created', 'share_link.revoked', 'share_link.joined',
  // Written by the database itself, inside app_set_platform_role (db/migrations/0010_platform_operators.sql).
  'platform_role.granted', 'platform_role.changed', 'platform_role.revoked',
  // Files (server/files/): every download is recorded, and a purge records whose deletion it made final.
  'file.upload_requested', 'file.uploaded', 'file.downloaded', 'file.deleted', 'file.restored', 'file.purged',
  // Patients (server/patients/): joining a clinic makes a record, an invitation links one, the trash.
  'patient.enrolled', 'patient.linked', 'patient.restored', 'patient.purged',
  // Consents and privacy notices (server/consents/, server/privacy-notices/; ADRs 0020, 0021).
  'consent.granted', 'consent.withdrawn', 'consent.acknowledged', 'patient.onboarding_completed', 'patient.reminder_requested',
  'privacy_notice.published', 'privacy_notice_template.published', 'platform_terms.published',
  // Data-subject requests (server/data-requests/, ADR 0022): asked by the patient, decided by the clinic, every export download.
  'data_request.requested', 'data_request.fulfilled', 'data_request.declined', 'data_request.export_downloaded',
  // A superadmin sent a dead letter back to the job queue (server/jobs/dead-letters.ts).
  'job.retried',
  // A REST write refused or failed after authentication (server/audit/audit-refused-writes.ts).
  'api.refused',
] as const;

/** A refused push naming a mutator that does not exist: recorded, since it is someone probing. */
export const UNKNOWN_MUTATION_ACTION = 'mutation.unknown';

const actions = [...Object.values(AUDIT_ACTIONS).map((entry) => entry.action), ...API_AUDIT_ACTIONS, UNKNOWN_MUTATION_ACTION];
export const ZAuditAction = z.enum(actions as [string, ...string[]]);
export type AuditAction = z.infer<typeof ZAuditAction>;
export const AUDIT_ACTION_NAMES: readonly string[] = actions;

/**
 * What entries are about: the entities of ENTITY_TABLES, `job` (a job of the queue, job.retried) and
 * `mutator` (a push naming no mutator we have).
 */
export const AUDIT_ENTITY_TYPES: readonly string[] = [...Object.keys(ENTITY_TABLES), 'job', 'mutator'];

export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

// Refusals of who may do what; every other refusal is a write that failed.
const DENIALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'SECOND_FACTOR_REQUIRED', 'OWN_MEMBERSHIP', 'OWNER_ONLY',
  'EXCEEDS_OWN_PERMISSIONS', 'OWN_PLATFORM_ROLE', 'INVITATION_WRONG_ACCOUNT',
]);

/** How a refused write is recorded. NOT_FOUND is a denial: it is also what a forbidden id answers. */
export function outcomeOf(code: ErrorCode): Exclude<AuditOutcome, 'success'> {
  return DENIALS.has(code) ? 'denied' : 'failed';
}

export type AuditEntry = {
  requestId: string;
  actorPrincipalId: string;
  organizationId: string | null;
  action: AuditAction;
  entityType: string;
  entityId: string;
  writeId: string | null;
  /** What the caller asked for; redacted by the entity's data classes before it is stored. */
  changes: Record<string, unknown>;
  /** Whom the actor acted for (impersonation, an agent for its owner); absent when for themself. */
  subjectPrincipalId?: string | null;
  breakGlassSessionId?: string | null;
  /** The client's address and user agent (requestAuditFields). */
  ip?: string | null;
  userAgent?: string | null;
  /** Absent means success; a refusal carries its code, never an error's text. */
  outcome?: AuditOutcome;
  errorCode?: ErrorCode | null;
  /** The entity's row before and after the write (to_jsonb); stored as a redacted diff. */
  before?: AuditRecord | null;
  after?: AuditRecord | null;
};

const USER_AGENT_MAX = 512;

/** The request's part of every entry: its id, and the client's address and user agent. */
export function requestAuditFields(request: RequestContext): Pick<AuditEntry, 'requestId' | 'ip' | 'userAgent'> {
  return { requestId: request.requestId, ip: request.ip ?? null, userAgent: request.userAgent ?? null };
}

/**
 * Appends one audit row in the caller's transaction: the write and its record commit together. The
 * database chains it (db/migrations/0012_audit_chain.sql), so append the row last in a transaction:
 * it holds its chain until the transaction ends.
 */
export async function appendAudit(tx: TransactionSql, entry: AuditEntry): Promise<void> {
  const action = ZAuditAction.parse(entry.action);
  const outcome = entry.outcome ?? 'success';
  const errorCode = outcome === 'success' ? null : (entry.errorCode ?? 'INTERNAL');
  const ip = entry.ip !== undefined && entry.ip !== null && isIP(entry.ip) !== 0 ? entry.ip : null;
  const userAgent = entry.userAgent === undefined || entry.userAgent === null || entry.userAgent === '' ? null : entry.userAgent.slice(0, USER_AGENT_MAX);
  const changes = redactRecord(entry.entityType, entry.changes);
  const diff = entry.before === undefined && entry.after === undefined ? null : auditDiff(entry.entityType, entry.before ?? null, entry.after ?? null);
  await tx`insert into audit_log
    (request_id, actor_principal_id, subject_principal_id, break_glass_session_id, organization_id, action,
     entity_type, entity_id, write_id, outcome, error_code, ip_address, user_agent, changes, diff)
    values (${entry.requestId}, ${entry.actorPrincipalId}, ${entry.subjectPrincipalId ?? null}, ${entry.breakGlassSessionId ?? null},
            ${entry.organizationId}, ${action}, ${entry.entityType}, ${entry.entityId}, ${entry.writeId}, ${outcome}, ${errorCode},
            ${ip}, ${userAgent}, ${tx.json(changes as never)}, ${diff === null ? null : tx.json(diff as never)})`;
}
