import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { ROLES } from '../../db/roles.ts';
import { appendAudit } from '../audit.ts';
import { actAs } from '../db-scope.ts';

type DuePatient = { patient_id: string; patient_organization_id: string; actor_principal_id: string; patient_deleted_at: Date };

/**
 * Removes for good the patient records deleted longer ago than the retention window, with the
 * unclaimed profile no other record names, one per transaction (app_purge_next_patient, 0018). Each
 * purge is audited in the record's clinic with whoever deleted it as the actor. Safe to run from
 * several workers at once: each record is claimed by one.
 */
export async function purgeDeletedPatients(
  deps: { sql: Sql; retentionDays: number },
  options: { requestId?: string; limit?: number } = {},
): Promise<{ purged: { id: string; organizationId: string }[] }> {
  const requestId = options.requestId ?? `patients-purge-${randomUUID()}`;
  const limit = options.limit ?? 100;
  const purged: { id: string; organizationId: string }[] = [];
  while (purged.length < limit) {
    const record = await deps.sql.begin(async (tx) => {
      // No principal: the function decides what is due, and nothing else is visible.
      await tx.unsafe(`set local role ${ROLES.runtime}`);
      const [due] = await tx<DuePatient[]>`select * from app_purge_next_patient(make_interval(days => ${deps.retentionDays}))`;
      if (due === undefined) return null;
      await actAs(tx, { principalId: due.actor_principal_id, organizationId: due.patient_organization_id, membershipRole: null, platformRole: null });
      await appendAudit(tx, {
        requestId,
        actorPrincipalId: due.actor_principal_id,
        organizationId: due.patient_organization_id,
        action: 'patient.purged',
        entityType: 'patient',
        entityId: due.patient_id,
        writeId: null,
        changes: { deletedAt: due.patient_deleted_at.toISOString(), retentionDays: deps.retentionDays },
      });
      return { id: due.patient_id, organizationId: due.patient_organization_id };
    });
    if (record === null) break;
    purged.push(record);
  }
  return { purged };
}
