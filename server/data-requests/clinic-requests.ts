import type { TransactionSql } from 'postgres';
import { PERMISSIONS_SETTING, type AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { can, ORGANIZATION_PERMISSIONS, organizationPermissionsOf } from '../../sync-rules/permissions.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import { recordEvent } from '../events/record-event.ts';
import type { RequestContext } from '../request-context.ts';
import { collectExport } from './collect-export.ts';
import type { DataRequestDeps } from './deps.ts';
import { dataRequestView, type DataRequestRow, type DataRequestView } from './data-request-view.ts';

/** Where an export's ciphertext lives: the context it is bound to (ADR 0014). */
export const exportContext = (requestId: string) => ({ table: 'data_subject_exports', column: 'content', rowId: requestId });

/** A request as the clinic's queue shows it. */
export type ClinicDataRequestView = DataRequestView & {
  patientId: string | null;
  /** The person's name as the clinic sees their profile; null once the record is erased, or never shared. */
  patientName: string | null;
  decidedBy: string | null;
  /** Whether the caller may decide it (an erasure needs patients.delete; nobody decides their own). */
  canDecide: boolean;
};

export type Decision = { outcome: 'fulfilled' } | { outcome: 'declined'; reason: string };

/** The clinic whose requests the caller handles: patients.manage there. Every clinic-side service's first step. */
function requireHandler(auth: AuthContext): string {
  if (auth.organizationId === null) throw new DomainError('FORBIDDEN', 'no organisation selected');
  if (!can(auth, 'patients.manage')) throw new DomainError('FORBIDDEN', 'missing permission patients.manage');
  return auth.organizationId;
}

const mayDecide = (auth: AuthContext, row: Pick<DataRequestRow, 'kind' | 'requested_by'>): boolean =>
  row.requested_by !== auth.principalId && (row.kind === 'export' ? can(auth, 'patients.read') : can(auth, 'patients.delete'));

/** The clinic's requests: open ones first, then the rest, newest first. */
export async function listClinicRequests(deps: DataRequestDeps, auth: AuthContext): Promise<ClinicDataRequestView[]> {
  const organizationId = requireHandler(auth);
  return deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    const rows = await tx<(DataRequestRow & { given_name: string | null; family_name: string | null })[]>`
      select r.id, r.organization_id, r.patient_id, r.requested_by, r.kind, r.status, r.reason, r.decided_at, r.decided_by, r.created_at,
             pp.given_name, pp.family_name
      from data_subject_requests r
      left join patients p on p.id = r.patient_id
      left join patient_profiles pp on pp.id = p.patient_profile_id
      where r.organization_id = ${organizationId}
      order by r.status = 'requested' desc, r.created_at desc, r.id`;
    return rows.map((row) => ({
      ...dataRequestView(row),
      patientId: row.patient_id,
      patientName: row.given_name === null ? null : `${row.given_name} ${row.family_name ?? ''}`.trim(),
      decidedBy: row.decided_by,
      canDecide: row.status === 'requested' && mayDecide(auth, row),
    }));
  });
}

type Subject = { id: string; patient_profile_id: string };

/**
 * Runs `work` with every permission of the member's clinic, then back to their own.
 * Security: an export is what the clinic holds, not what this member may read (a receptionist does
 * not read invitations, say). Only the fixed queries of EXPORT_SOURCES about the one person the
 * request names run this way, as the same principal in the same clinic, never another; the result
 * is sealed for the person who asked, and no policy lets the member read it back.
 */
export async function readingAsClinic<T>(tx: TransactionSql, auth: AuthContext, work: () => Promise<T>): Promise<T> {
  await tx`select set_config(${PERMISSIONS_SETTING}, ${ORGANIZATION_PERMISSIONS.join(',')}, true)`;
  const result = await work();
  await tx`select set_config(${PERMISSIONS_SETTING}, ${organizationPermissionsOf(auth).join(',')}, true)`;
  return result;
}

/** The export: gathered as the fulfilling member, sealed under the clinic's key, stored for the person. */
async function produceExport(deps: DataRequestDeps, tx: TransactionSql, auth: AuthContext, organizationId: string, row: DataRequestRow): Promise<void> {
  const [record] = row.patient_id === null ? [] : await tx<Subject[]>`
    select id, patient_profile_id from patients where id = ${row.patient_id} and organization_id = ${organizationId}`;
  if (record === undefined) throw new DomainError('INVALID_TRANSITION', 'the record this request is about is deleted: decline it with the reason');
  const [organization] = await tx<{ name: string }[]>`select name from organizations where id = ${organizationId}`;
  const document = await readingAsClinic(tx, auth, () => collectExport(
    tx,
    { organizationId, patientId: record.id, profileId: record.patient_profile_id, principalId: row.requested_by },
    { requestId: row.id, organizationName: organization?.name ?? '' },
  ));
  const content = await deps.encryption.encryptField(organizationId, exportContext(row.id), JSON.stringify(document));
  await tx`insert into data_subject_exports (id, organization_id, content, created_by)
    values (${row.id}, ${organizationId}, ${content}, ${row.decided_by})`;
}

/** The erasure: the clinic's record is deleted (then purged after the retention window, 0018), with any export of it. */
async function eraseRecord(tx: TransactionSql, auth: AuthContext, request: RequestContext, organizationId: string, row: DataRequestRow): Promise<void> {
  if (row.patient_id === null) return;
  await tx`delete from data_subject_exports e using data_subject_requests r
    where e.id = r.id and r.patient_id = ${row.patient_id} and r.organization_id = ${organizationId}`;
  // Postgres checks an UPDATE's new row against the read policies too, and those hide deleted
  // records; 0018's trash setting admits them to patients.delete holders, for this one statement.
  await tx`select set_config('app.patients_deleted', 'visible', true)`;
  const deleted = await tx`update patients set deleted_at = now(), deleted_by = ${auth.principalId}, updated_by = ${auth.principalId}
    where id = ${row.patient_id} and organization_id = ${organizationId} and deleted_at is null`;
  await tx`select set_config('app.patients_deleted', '', true)`;
  if (deleted.count === 0) return;
  await appendAudit(tx, {
    ...requestAuditFields(request),
    actorPrincipalId: auth.principalId,
    organizationId,
    action: 'patient.deleted',
    entityType: 'patient',
    entityId: row.patient_id,
    writeId: null,
    changes: { dataRequestId: row.id },
  });
}

/**
 * The clinic fulfils or declines one of its open requests, once. A decline says why. Fulfilling an
 * export produces it in the same transaction; fulfilling an erasure deletes the record. The person
 * is told by mail (the outbox), and every decision is in the clinic's audit log.
 */
export async function decideRequest(deps: DataRequestDeps, auth: AuthContext, request: RequestContext, id: string, decision: Decision): Promise<DataRequestView> {
  const organizationId = requireHandler(auth);
  return deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    const [row] = await tx<DataRequestRow[]>`
      select id, organization_id, patient_id, requested_by, kind, status, reason, decided_at, decided_by, created_at
      from data_subject_requests where id = ${id} and organization_id = ${organizationId}`;
    if (row === undefined) throw new DomainError('NOT_FOUND', 'data request not found');
    if (!mayDecide(auth, row)) {
      throw new DomainError('FORBIDDEN', row.requested_by === auth.principalId ? 'nobody decides their own request' : `missing permission ${row.kind === 'export' ? 'patients.read' : 'patients.delete'}`);
    }
    if (row.status !== 'requested') throw new DomainError('INVALID_TRANSITION', 'this request is already decided');
    const reason = decision.outcome === 'declined' ? decision.reason : null;
    // Not read FOR UPDATE above (RLS would hide what the caller may not decide, and answer NOT_FOUND
    // for it): the update itself takes the row only while it is still open, so two deciders cannot both win.
    const [decided] = await tx<DataRequestRow[]>`
      update data_subject_requests set status = ${decision.outcome}, reason = ${reason}, decided_by = ${auth.principalId}, updated_by = ${auth.principalId}
      where id = ${id} and status = 'requested'
      returning id, organization_id, patient_id, requested_by, kind, status, reason, decided_at, decided_by, created_at`;
    if (decided === undefined) throw new DomainError('INVALID_TRANSITION', 'this request is already decided');
    if (decision.outcome === 'fulfilled' && decided.kind === 'export') await produceExport(deps, tx, auth, organizationId, decided);
    if (decision.outcome === 'fulfilled' && decided.kind === 'erasure') await eraseRecord(tx, auth, request, organizationId, decided);
    await recordEvent(tx, {
      name: 'data_request.decided',
      version: 1,
      organizationId,
      actorPrincipalId: auth.principalId,
      requestId: request.requestId,
      payload: { dataRequestId: id, kind: decided.kind, outcome: decision.outcome },
    });
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId,
      action: decision.outcome === 'fulfilled' ? 'data_request.fulfilled' : 'data_request.declined',
      entityType: 'data_request',
      entityId: id,
      writeId: null,
      changes: { kind: decided.kind, reason },
    });
    return dataRequestView(decided);
  });
}

