import type { Fragment, TransactionSql } from 'postgres';

/** Whose data an export gathers: one clinic's record of one person, and that person's profile and account. */
export type ExportSubject = {
  organizationId: string;
  patientId: string;
  profileId: string;
  principalId: string;
};

/** The rows of one table that are about the subject in the subject's clinic: a WHERE clause over alias `t`. */
export type ExportSource = (tx: TransactionSql, subject: ExportSubject) => Fragment;

/**
 * Every table that holds personal or health data about a patient in a clinic, and how to find the
 * subject's rows in it. The export takes every column of each row but secrets
 * (server/data-requests/collect-export.ts). export-coverage.pg.test.ts fails when a table of the live
 * database with a personal or health column (db/data-classes.ts) is in neither this map nor
 * NOT_EXPORTED: a new table of patient data cannot be left out of exports silently.
 *
 * Each clause names the clinic: the same person's rows in another clinic are that clinic's to export.
 */
export const EXPORT_SOURCES: Readonly<Record<string, ExportSource>> = {
  patients: (tx, s) => tx`t.id = ${s.patientId} and t.organization_id = ${s.organizationId}`,
  // The person's profile, as the clinic sees it through its record (once shared with it).
  patient_profiles: (tx, s) => tx`t.id = ${s.profileId}
    and exists (select 1 from patients p where p.patient_profile_id = t.id and p.id = ${s.patientId} and p.organization_id = ${s.organizationId})`,
  // The clinic's invitations that named this record, or that the person accepted as its patient.
  invitations: (tx, s) => tx`t.organization_id = ${s.organizationId}
    and (t.patient_id = ${s.patientId} or (t.kind = 'patient' and t.accepted_by = ${s.principalId}))`,
  consent_ledger: (tx, s) => tx`t.organization_id = ${s.organizationId} and t.principal_id = ${s.principalId}`,
  purpose_notification_skips: (tx, s) => tx`t.organization_id = ${s.organizationId} and t.patient_id = ${s.patientId}`,
  patient_subscriptions: (tx, s) => tx`t.organization_id = ${s.organizationId} and t.patient_id = ${s.patientId}`,
  // What the person asked of this clinic, and how it was answered.
  data_subject_requests: (tx, s) => tx`t.organization_id = ${s.organizationId} and t.requested_by = ${s.principalId}`,
};

/** Tables with personal or health columns that an export leaves out, each with the reason. */
export const NOT_EXPORTED: Readonly<Record<string, string>> = {
  humans: "the person's account (name, address) is held by the platform for signing in, not by a clinic; the profile the clinic sees is exported",
  'auth.user': "the identity service's copy of the account: the platform's, for signing in",
  'auth.session': "the identity service's sessions: the platform's, for signing in",
  'auth.verification': "the identity service's pending links: the platform's, short-lived",
  'auth.rateLimit': "the identity service's counters by address: the platform's, short-lived",
  'auth.passkey': "the person's passkeys: the platform's, for signing in",
  audit_log: "the clinic's accountability record, kept by legal obligation (ADR 0013); personal values are redacted before they are written, and what is left (addresses, user agents) is mostly of staff",
  notification_deliveries: "the platform's record of mail it sent, by address, for delivery and bounces; names no clinic record",
  rate_limit_counters: 'short-lived counters by address or principal id, gone within minutes',
  domain_events: "the outbox: a handler's input for the minutes until it runs (ADR 0015), not a record the clinic keeps",
  consent_current: 'a view over consent_ledger, whose rows the export carries',
  privacy_notices: "the clinic's own notices: about the clinic and its DPO, not about a patient",
  files: 'files are not linked to a patient yet (0015 has no patient column); when they are, they join EXPORT_SOURCES with their bytes',
  data_subject_exports: 'the exports themselves: an export of exports would nest every earlier one',
};
