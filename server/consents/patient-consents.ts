import type { Sql, TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { can, type OrganizationPermission } from '../../sync-rules/permissions.ts';
import { actAs } from '../db-scope.ts';
import { acknowledgements, currentChoices, optionalPurposeCodes, trail, type Acknowledgement, type CurrentChoice, type TrailEntry } from './consent-records.ts';

export type NotificationSkip = { id: string; purpose: string; reason: string; at: string };

export type PatientConsents = {
  patientId: string;
  acknowledgement: Acknowledgement;
  choices: CurrentChoice[];
  trail: TrailEntry[];
  /** Mails for a purpose that were not sent because the patient did not consent when they were due. */
  skipped: NotificationSkip[];
};

/** The clinic the caller works in, after checking `permission`: the first step of every clinic-side service. */
export function requireClinicPermission(auth: AuthContext, permission: OrganizationPermission): string {
  if (auth.organizationId === null) throw new DomainError('FORBIDDEN', 'no organisation selected');
  if (!can(auth, permission)) throw new DomainError('FORBIDDEN', `missing permission ${permission}`);
  return auth.organizationId;
}

/**
 * The person behind one of the clinic's live patient records, read as the clinic: found only when
 * the record is the clinic's and the person shared their profile with it (RLS on patient_profiles).
 * NOT_FOUND alike for a missing id, another clinic's record, and a profile not shared yet.
 */
export async function sharedPatient(tx: TransactionSql, organizationId: string, patientId: string): Promise<{ principalId: string | null; email: string | null; locale: 'ro' | 'en'; name: string }> {
  const [row] = await tx<{ principal_id: string | null; email: string | null; locale: 'ro' | 'en'; given_name: string; family_name: string }[]>`
    select pp.principal_id, pp.email, pp.locale, pp.given_name, pp.family_name
    from patients p join patient_profiles pp on pp.id = p.patient_profile_id
    where p.id = ${patientId} and p.organization_id = ${organizationId} and p.deleted_at is null and p.profile_shared_at is not null`;
  if (row === undefined) throw new DomainError('NOT_FOUND', 'patient not found');
  return { principalId: row.principal_id, email: row.email, locale: row.locale, name: `${row.given_name} ${row.family_name}`.trim() };
}

/** Clinic → a patient's consents: what holds now, the clinic-scope trail, and the reminders not sent. */
export async function readPatientConsents(sql: Sql, auth: AuthContext, patientId: string): Promise<PatientConsents> {
  const organizationId = requireClinicPermission(auth, 'patients.read');
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const person = await sharedPatient(tx, organizationId, patientId);
    const codes = await optionalPurposeCodes(tx);
    const skips = await tx<{ id: string; purpose: string; reason: string; created_at: Date }[]>`
      select id, purpose, reason, created_at from purpose_notification_skips
      where organization_id = ${organizationId} and patient_id = ${patientId} order by created_at desc limit 100`;
    const skipped = skips.map((row) => ({ id: row.id, purpose: row.purpose, reason: row.reason, at: row.created_at.toISOString() }));
    if (person.principalId === null) {
      // A record the clinic created for someone without an account: no consent can exist yet.
      const [notice] = await tx<{ version: number | null }[]>`select max(version)::int as version from privacy_notices where organization_id = ${organizationId}`;
      const version = notice?.version ?? null;
      return {
        patientId,
        acknowledgement: { purpose: 'privacy_notice', currentVersion: version, requiredVersion: version, acknowledgedVersion: null, outstanding: true },
        choices: codes.map((purpose) => ({ purpose, granted: false, recordedAt: null, documentVersion: null })),
        trail: [],
        skipped,
      };
    }
    return {
      patientId,
      acknowledgement: (await acknowledgements(tx, person.principalId, organizationId)).privacy_notice,
      choices: await currentChoices(tx, person.principalId, organizationId, codes),
      trail: await trail(tx, person.principalId, organizationId),
      skipped,
    };
  });
}
