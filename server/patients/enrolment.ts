import type { TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import type { RequestContext } from '../request-context.ts';

/**
 * Joining a clinic (its share-link, or a patient invitation without a record) makes the person its
 * patient: their profile, created from their account the first time, and the clinic's record of them,
 * which does not show the clinic their profile until onboarding shares it. Joining again changes
 * nothing. Runs in the caller's transaction, acting as the person (db/migrations/0018_patients.sql,
 * app_enrol_joined_patient, admits only people who joined or accepted an invitation of that clinic).
 */
export async function enrolJoinedPatient(tx: TransactionSql, auth: AuthContext, request: RequestContext, organizationId: string): Promise<string> {
  const [existing] = await tx<{ id: string }[]>`
    select id from patients where organization_id = ${organizationId} and principal_id = ${auth.principalId}`;
  if (existing !== undefined) return existing.id;
  const [enrolled] = await tx<{ id: string }[]>`select app_enrol_joined_patient(${organizationId}) as id`;
  const patientId = enrolled?.id ?? '';
  await appendAudit(tx, {
    ...requestAuditFields(request),
    actorPrincipalId: auth.principalId,
    organizationId,
    action: 'patient.enrolled',
    entityType: 'patient',
    entityId: patientId,
    writeId: null,
    changes: {},
  });
  return patientId;
}

/**
 * Accepting a clinic's invitation that names the record it made for this person links them to it,
 * without a duplicate (app_link_invited_patient): they claim the clinic's profile, or the record moves
 * to the profile they already have.
 */
export async function linkInvitedPatient(tx: TransactionSql, auth: AuthContext, request: RequestContext, invitationId: string, organizationId: string): Promise<string> {
  const [linked] = await tx<{ id: string }[]>`select app_link_invited_patient(${invitationId}) as id`;
  const patientId = linked?.id ?? '';
  await appendAudit(tx, {
    ...requestAuditFields(request),
    actorPrincipalId: auth.principalId,
    organizationId,
    action: 'patient.linked',
    entityType: 'patient',
    entityId: patientId,
    writeId: null,
    changes: { invitationId },
  });
  return patientId;
}
