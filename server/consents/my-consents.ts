import type { Sql, TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { actAs } from '../db-scope.ts';
import {
  acknowledgements, currentChoices, optionalPurposeCodes, purposes, trail,
  type Acknowledgement, type CurrentChoice, type Localized, type PurposeView, type TrailEntry,
} from './consent-records.ts';

export type DocumentText = { version: number; material: boolean; publishedAt: string; text: Localized };

export type ClinicConsents = {
  organization: { id: string; name: string };
  patientId: string;
  /** True once onboarding shared the person's profile with the clinic. */
  profileShared: boolean;
  notice: DocumentText | null;
  acknowledgement: Acknowledgement;
  choices: CurrentChoice[];
};

export type MyConsents = {
  purposes: PurposeView[];
  terms: (DocumentText & { acknowledgement: Acknowledgement }) | null;
  clinics: ClinicConsents[];
  /** Every grant, withdrawal and acknowledgement the person ever recorded, newest first. */
  trail: TrailEntry[];
};

/** What a person still has to do: accept changed terms, and per clinic, onboarding or a changed notice. */
export type PendingConsents = {
  terms: boolean;
  clinics: { organization: { id: string; name: string }; onboarding: boolean; notice: boolean }[];
};

/** The clinics the person is a live patient of (organizations' rule shows a patient their clinics). */
async function ownClinics(tx: TransactionSql, principalId: string) {
  return tx<{ patient_id: string; organization_id: string; name: string; profile_shared_at: Date | null }[]>`
    select p.id as patient_id, p.organization_id, o.name, p.profile_shared_at
    from patients p join organizations o on o.id = p.organization_id
    where p.principal_id = ${principalId} and p.deleted_at is null
    order by o.name, o.id`;
}

async function noticeOf(tx: TransactionSql, organizationId: string): Promise<DocumentText | null> {
  const [row] = await tx<{ version: number; material: boolean; created_at: Date; rendered: Localized }[]>`
    select version, material, created_at, rendered from privacy_notices where organization_id = ${organizationId} order by version desc limit 1`;
  return row === undefined ? null : { version: row.version, material: row.material, publishedAt: row.created_at.toISOString(), text: row.rendered };
}

async function currentTerms(tx: TransactionSql): Promise<DocumentText | null> {
  const [row] = await tx<{ version: number; material: boolean; created_at: Date; body: Localized }[]>`
    select version, material, created_at, body from platform_terms_versions order by version desc limit 1`;
  return row === undefined ? null : { version: row.version, material: row.material, publishedAt: row.created_at.toISOString(), text: row.body };
}

// The terms' state does not depend on the clinic; any id serves for app_acknowledgements' terms row.
const NO_CLINIC = '00000000-0000-0000-0000-000000000000';

/** The Portal's consents page: the terms, each clinic's notice and choices, and the full trail. */
export async function readMyConsents(sql: Sql, auth: AuthContext): Promise<MyConsents> {
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const me = auth.principalId;
    const codes = await optionalPurposeCodes(tx);
    const clinics: ClinicConsents[] = [];
    for (const clinic of await ownClinics(tx, me)) {
      const acks = await acknowledgements(tx, me, clinic.organization_id);
      clinics.push({
        organization: { id: clinic.organization_id, name: clinic.name },
        patientId: clinic.patient_id,
        profileShared: clinic.profile_shared_at !== null,
        notice: await noticeOf(tx, clinic.organization_id),
        acknowledgement: acks.privacy_notice,
        choices: await currentChoices(tx, me, clinic.organization_id, codes),
      });
    }
    const terms = await currentTerms(tx);
    const termsAck = (await acknowledgements(tx, me, clinics[0]?.organization.id ?? NO_CLINIC)).platform_terms;
    return { purposes: await purposes(tx), terms: terms === null ? null : { ...terms, acknowledgement: termsAck }, clinics, trail: await trail(tx, me) };
  });
}

/** What the Portal must ask for before anything else: read on every page, so it stays small. */
export async function readPendingConsents(sql: Sql, auth: AuthContext): Promise<PendingConsents> {
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const me = auth.principalId;
    const clinics: PendingConsents['clinics'] = [];
    // Terms never accepted are accepted in the consent block of the first clinic joined; asked on
    // their own only when a material version replaces one the person accepted.
    const termsState = (await acknowledgements(tx, me, NO_CLINIC)).platform_terms;
    const terms = termsState.outstanding && termsState.acknowledgedVersion !== null;
    for (const clinic of await ownClinics(tx, me)) {
      const acks = await acknowledgements(tx, me, clinic.organization_id);
      const onboarding = clinic.profile_shared_at === null;
      if (onboarding || acks.privacy_notice.outstanding) {
        clinics.push({ organization: { id: clinic.organization_id, name: clinic.name }, onboarding, notice: acks.privacy_notice.outstanding && !onboarding });
      }
    }
    return { terms, clinics };
  });
}
