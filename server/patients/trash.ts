import type { TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { can } from '../../sync-rules/permissions.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import type { PatientDeps } from './deps.ts';

const DAY_MS = 24 * 3600 * 1000;

/** The setting under which RLS shows deleted records to patients.delete holders (0018). */
const DELETED_PATIENTS_SETTING = 'app.patients_deleted';

/** A deleted record as the trash lists it. Names come from the profile the clinic could see. */
export type DeletedPatientView = {
  id: string;
  givenName: string | null;
  familyName: string | null;
  deletedAt: string;
  deletedBy: string;
  restorableUntil: string;
};

function requireDeleter(auth: AuthContext): string {
  if (auth.organizationId === null) throw new DomainError('FORBIDDEN', 'no organisation selected');
  if (!can(auth, 'patients.delete')) throw new DomainError('FORBIDDEN', 'missing permission patients.delete');
  return auth.organizationId;
}

/** The one place the server lifts RLS's hiding of deleted records, for this transaction only. */
async function actOnDeleted(tx: TransactionSql, auth: AuthContext): Promise<void> {
  await actAs(tx, auth);
  await tx`select set_config(${DELETED_PATIENTS_SETTING}, 'visible', true)`;
}

type DeletedRow = { id: string; given_name: string | null; family_name: string | null; deleted_at: Date; deleted_by: string };

/**
 * The trash: the clinic's deleted records still inside the retention window, newest first, named
 * by the profile the clinic could see before (none for a patient who had not finished onboarding).
 */
export async function listDeletedPatients(deps: PatientDeps, auth: AuthContext): Promise<DeletedPatientView[]> {
  const organizationId = requireDeleter(auth);
  return deps.sql.begin(async (tx) => {
    await actOnDeleted(tx, auth);
    const rows = await tx<DeletedRow[]>`
      select p.id, pp.given_name, pp.family_name, p.deleted_at, p.deleted_by
      from patients p left join patient_profiles pp on pp.id = p.patient_profile_id
      where p.organization_id = ${organizationId} and p.deleted_at is not null
        and p.deleted_at > now() - make_interval(days => ${deps.retentionDays})
      order by p.deleted_at desc, p.id`;
    return rows.map((row) => ({
      id: row.id,
      givenName: row.given_name,
      familyName: row.family_name,
      deletedAt: row.deleted_at.toISOString(),
      deletedBy: row.deleted_by,
      restorableUntil: new Date(row.deleted_at.getTime() + deps.retentionDays * DAY_MS).toISOString(),
    }));
  });
}

/**
 * Brings a deleted record back while the retention window is open: it reappears on every device of
 * the clinic through sync. Restoring a live record changes nothing; past the window it is as good
 * as purged (PATIENT_RETENTION_EXPIRED).
 */
export async function restorePatient(deps: PatientDeps, auth: AuthContext, request: RequestContext, id: string): Promise<{ id: string }> {
  const organizationId = requireDeleter(auth);
  return deps.sql.begin(async (tx) => {
    await actOnDeleted(tx, auth);
    const [row] = await tx<{ deleted_at: Date | null; deleted_by: string | null }[]>`
      select deleted_at, deleted_by from patients where id = ${id} and organization_id = ${organizationId} for update`;
    if (row === undefined) throw new DomainError('NOT_FOUND', 'patient not found');
    if (row.deleted_at === null) return { id };
    const restored = await tx`update patients set deleted_at = null, deleted_by = null, updated_by = ${auth.principalId}
      where id = ${id} and deleted_at > now() - make_interval(days => ${deps.retentionDays})`;
    if (restored.count === 0) throw new DomainError('PATIENT_RETENTION_EXPIRED', 'the record was deleted too long ago to be restored');
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'patient.restored',
      entityType: 'patient',
      entityId: id,
      writeId: null,
      changes: { deletedAt: row.deleted_at.toISOString(), deletedBy: row.deleted_by },
    });
    return { id };
  });
}
