import type { TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import { recordEvent } from '../events/record-event.ts';
import type { RequestContext } from '../request-context.ts';
import type { DataRequestDeps } from './deps.ts';
import { dataRequestView, type DataRequestKind, type DataRequestRow, type DataRequestView } from './data-request-view.ts';

/** Opens migration 0022's organizations policy for this transaction only: the names of the person's clinics. */
const READING_OWN_REQUESTS_SETTING = 'app.reading_own_data_requests';

/** A request as the person who made it sees it: which clinic, and whether an export waits for them. */
export type MyDataRequestView = DataRequestView & {
  organizationName: string;
  /** Until when the export can be downloaded; null when there is none (any more). */
  exportAvailableUntil: string | null;
};

async function listOwn(tx: TransactionSql, auth: AuthContext): Promise<MyDataRequestView[]> {
  await tx`select set_config(${READING_OWN_REQUESTS_SETTING}, 'on', true)`;
  const rows = await tx<(DataRequestRow & { organization_name: string; available_until: Date | null })[]>`
    select r.id, r.organization_id, r.patient_id, r.requested_by, r.kind, r.status, r.reason, r.decided_at, r.created_at,
           o.name as organization_name, e.available_until
    from data_subject_requests r
    join organizations o on o.id = r.organization_id
    left join data_subject_exports e on e.id = r.id
    where r.requested_by = ${auth.principalId}
    order by r.created_at desc, r.id`;
  return rows.map((row) => ({
    ...dataRequestView(row),
    organizationName: row.organization_name,
    exportAvailableUntil: row.available_until === null ? null : row.available_until.toISOString(),
  }));
}

/** The signed-in person's requests, in every clinic, newest first. */
export async function listMyRequests(deps: DataRequestDeps, auth: AuthContext): Promise<MyDataRequestView[]> {
  return deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    return listOwn(tx, auth);
  });
}

type OwnRecord = { id: string; organization_id: string };

/**
 * The person asks for an export or an erasure: one request to each clinic that holds a live record of
 * them (or to the one clinic named), which that clinic alone decides. Asking again while a request
 * of that kind is open there finds the open one. Each clinic's request is its own transaction, with
 * its audit entry in that clinic's log and the event that tells the clinic.
 */
export async function askForRequests(
  deps: DataRequestDeps,
  auth: AuthContext,
  request: RequestContext,
  ask: { kind: DataRequestKind; organizationId?: string | undefined },
): Promise<MyDataRequestView[]> {
  const records = await deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    // Under RLS the person sees their own live records only.
    return tx<OwnRecord[]>`select p.id, p.organization_id from patients p
      where p.principal_id = ${auth.principalId} and p.deleted_at is null
        ${ask.organizationId === undefined ? tx`` : tx`and p.organization_id = ${ask.organizationId}`}
      order by p.organization_id`;
  });
  if (records.length === 0) throw new DomainError('NOT_FOUND', 'no clinic holds a record of you');
  for (const record of records) await askOneClinic(deps, auth, request, record, ask.kind);
  return listMyRequests(deps, auth);
}

async function askOneClinic(deps: DataRequestDeps, auth: AuthContext, request: RequestContext, record: OwnRecord, kind: DataRequestKind): Promise<void> {
  await deps.sql.begin(async (tx) => {
    // Security: the person acts in the clinic they address without any membership there, so with no
    // permission: the outbox admits an event only in the clinic a request acts in.
    await actAs(tx, { principalId: auth.principalId, organizationId: record.organization_id, membershipRole: null, platformRole: null });
    const [open] = await tx<{ id: string }[]>`select id from data_subject_requests
      where patient_id = ${record.id} and kind = ${kind} and status = 'requested'`;
    if (open !== undefined) return;
    const [created] = await tx<{ id: string }[]>`
      insert into data_subject_requests (organization_id, patient_id, requested_by, kind, updated_by)
      values (${record.organization_id}, ${record.id}, ${auth.principalId}, ${kind}, ${auth.principalId})
      returning id`;
    if (created === undefined) throw new DomainError('INTERNAL', 'the request was not recorded');
    await recordEvent(tx, {
      name: 'data_request.requested',
      version: 1,
      organizationId: record.organization_id,
      actorPrincipalId: auth.principalId,
      requestId: request.requestId,
      payload: { dataRequestId: created.id, kind },
    });
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId: record.organization_id,
      action: 'data_request.requested',
      entityType: 'data_request',
      entityId: created.id,
      writeId: null,
      changes: { kind, patientId: record.id },
    });
  });
}
