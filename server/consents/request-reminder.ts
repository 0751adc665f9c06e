import type { Sql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import { recordEvent } from '../events/record-event.ts';
import type { RequestContext } from '../request-context.ts';
import { requireClinicPermission, sharedPatient } from './patient-consents.ts';
import type { REMINDER_KINDS } from './reminder-events.ts';

/**
 * A clinic asks for a reminder to one of its patients (until appointments and programmes send their
 * own, the Clinic's patient consents page offers it). The request is always accepted and queued:
 * whether the mail goes out is decided when it is sent, by the consent the ledger holds then.
 */
export async function requestReminder(sql: Sql, auth: AuthContext, request: RequestContext, patientId: string, kind: (typeof REMINDER_KINDS)[number]): Promise<{ eventId: string }> {
  const organizationId = requireClinicPermission(auth, 'patients.manage');
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const person = await sharedPatient(tx, organizationId, patientId);
    if (person.email === null) {
      throw new DomainError('INVALID_TRANSITION', 'the patient has no email address to remind them at');
    }
    const [organization] = await tx<{ name: string }[]>`select name from organizations where id = ${organizationId}`;
    if (organization === undefined) throw new DomainError('INTERNAL', 'the clinic is not visible');
    const eventId = await recordEvent(tx, {
      name: 'patient.reminder_requested',
      version: 1,
      organizationId,
      actorPrincipalId: auth.principalId,
      requestId: request.requestId,
      payload: { patientId, principalId: person.principalId, purpose: 'reminders', kind, email: person.email, locale: person.locale, name: person.name, organizationName: organization.name },
    });
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'patient.reminder_requested',
      entityType: 'patient',
      entityId: patientId,
      writeId: null,
      changes: { kind, eventId },
    });
    return { eventId };
  });
}
