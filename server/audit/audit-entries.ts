import type { Sql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { can } from '../../sync-rules/permissions.ts';
import type { AuditOutcome } from '../audit.ts';
import { actAs } from '../db-scope.ts';

/** One entry as the Clinic's audit-log viewer shows it. */
export type AuditEntryView = {
  id: string;
  /** Its place in the clinic's chain: the viewer pages by it. */
  seq: string;
  occurredAt: string;
  actor: { id: string; name: string | null };
  subjectPrincipalId: string | null;
  breakGlassSessionId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  outcome: AuditOutcome;
  errorCode: string | null;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  changes: Record<string, unknown>;
  diff: { before: Record<string, unknown> | null; after: Record<string, unknown> | null } | null;
};

export type AuditFilters = {
  actor?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  outcome?: AuditOutcome | undefined;
  /** From this moment, inclusive. */
  from?: Date | undefined;
  /** Until this moment, exclusive. */
  to?: Date | undefined;
  /** Keyset: only entries before this place in the chain (the previous page's `nextCursor`). */
  before?: bigint | undefined;
  limit: number;
};

export type AuditPage = { entries: AuditEntryView[]; nextCursor: string | null };

type Row = {
  id: string;
  seq: string;
  occurred_at: Date;
  actor_principal_id: string;
  actor_name: string | null;
  subject_principal_id: string | null;
  break_glass_session_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  outcome: AuditOutcome;
  error_code: string | null;
  request_id: string;
  ip_address: string | null;
  user_agent: string | null;
  changes: Record<string, unknown>;
  diff: AuditEntryView['diff'];
};

/** The clinic whose log the caller reads: audit.read in the clinic the request works in. */
export function requireAuditReader(auth: AuthContext): string {
  if (auth.organizationId === null) throw new DomainError('FORBIDDEN', 'no organisation selected');
  if (!can(auth, 'audit.read')) throw new DomainError('FORBIDDEN', 'missing permission audit.read');
  return auth.organizationId;
}

/**
 * A page of the caller's clinic's audit log, newest first, filtered. Read under RLS as the caller
 * (audit_log_clinic_read admits only their clinic's entries, with audit.read), and pinned to that
 * clinic in the query too. Actors' names come from humans under the same RLS: a person the clinic
 * cannot see (a platform operator, a former member) is shown by id.
 */
export async function listAuditEntries(sql: Sql, auth: AuthContext, filters: AuditFilters): Promise<AuditPage> {
  const organizationId = requireAuditReader(auth);
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const rows = await tx<Row[]>`
      select a.id::text as id, a.chain_seq::text as seq, a.occurred_at, a.actor_principal_id, h.name as actor_name,
        a.subject_principal_id, a.break_glass_session_id, a.action, a.entity_type, a.entity_id, a.outcome,
        a.error_code, a.request_id, host(a.ip_address) as ip_address, a.user_agent, a.changes, a.diff
      from audit_log a left join humans h on h.principal_id = a.actor_principal_id
      where a.organization_id = ${organizationId}
        ${filters.actor === undefined ? tx`` : tx`and a.actor_principal_id = ${filters.actor}`}
        ${filters.entityType === undefined ? tx`` : tx`and a.entity_type = ${filters.entityType}`}
        ${filters.entityId === undefined ? tx`` : tx`and a.entity_id = ${filters.entityId}`}
        ${filters.action === undefined ? tx`` : tx`and a.action = ${filters.action}`}
        ${filters.outcome === undefined ? tx`` : tx`and a.outcome = ${filters.outcome}`}
        ${filters.from === undefined ? tx`` : tx`and a.occurred_at >= ${filters.from}`}
        ${filters.to === undefined ? tx`` : tx`and a.occurred_at < ${filters.to}`}
        ${filters.before === undefined ? tx`` : tx`and a.chain_seq < ${filters.before.toString()}`}
      order by a.chain_seq desc
      limit ${filters.limit + 1}`;
    const page = rows.slice(0, filters.limit);
    const last = page.at(-1);
    return {
      entries: page.map(view),
      nextCursor: rows.length > filters.limit && last !== undefined ? last.seq : null,
    };
  });
}

const view = (row: Row): AuditEntryView => ({
  id: row.id,
  seq: row.seq,
  occurredAt: row.occurred_at.toISOString(),
  actor: { id: row.actor_principal_id, name: row.actor_name },
  subjectPrincipalId: row.subject_principal_id,
  breakGlassSessionId: row.break_glass_session_id,
  action: row.action,
  entityType: row.entity_type,
  entityId: row.entity_id,
  outcome: row.outcome,
  errorCode: row.error_code,
  requestId: row.request_id,
  ip: row.ip_address,
  userAgent: row.user_agent,
  changes: row.changes,
  diff: row.diff,
});
