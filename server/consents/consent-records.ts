import type { TransactionSql } from 'postgres';
import { DomainError } from '../../sync-rules/errors.ts';

/**
 * The reads every consent service shares, run inside a transaction already acting as someone
 * (actAs): RLS decides what each of them sees.
 */

export const DOCUMENT_PURPOSES = ['platform_terms', 'privacy_notice'] as const;
export type DocumentPurpose = (typeof DOCUMENT_PURPOSES)[number];

export type Localized = { en: string; ro: string };

export type PurposeView = {
  code: string;
  scope: 'platform' | 'organization';
  requirement: 'required' | 'optional';
  legalBasis: string;
  document: DocumentPurpose | null;
  title: Localized;
  description: Localized;
};

type PurposeRow = { code: string; scope: PurposeView['scope']; requirement: PurposeView['requirement']; legal_basis: string; document: DocumentPurpose | null; title: Localized; description: Localized };

export async function purposes(tx: TransactionSql): Promise<PurposeView[]> {
  const rows = await tx<PurposeRow[]>`select code, scope, requirement, legal_basis, document, title, description from consent_purposes order by position, code`;
  return rows.map((row) => ({ code: row.code, scope: row.scope, requirement: row.requirement, legalBasis: row.legal_basis, document: row.document, title: row.title, description: row.description }));
}

/** The purposes a person chooses freely in a clinic (reminders, marketing): optional, organisation scope. */
export async function optionalPurposeCodes(tx: TransactionSql): Promise<string[]> {
  const rows = await tx<{ code: string }[]>`select code from consent_purposes where requirement = 'optional' and scope = 'organization' order by position`;
  return rows.map((row) => row.code);
}

export type Acknowledgement = {
  purpose: DocumentPurpose;
  currentVersion: number | null;
  requiredVersion: number | null;
  acknowledgedVersion: number | null;
  outstanding: boolean;
};

/** Where the person stands with the terms and with `organizationId`'s notice (0020's app_acknowledgements). */
export async function acknowledgements(tx: TransactionSql, principalId: string, organizationId: string): Promise<Record<DocumentPurpose, Acknowledgement>> {
  const rows = await tx<{ purpose: DocumentPurpose; current_version: number | null; required_version: number | null; acknowledged_version: number | null; outstanding: boolean }[]>`
    select purpose, current_version, required_version, acknowledged_version, outstanding from app_acknowledgements(${principalId}, ${organizationId})`;
  const of = (purpose: DocumentPurpose): Acknowledgement => {
    const row = rows.find((candidate) => candidate.purpose === purpose);
    if (row === undefined) throw new DomainError('INTERNAL', `no acknowledgement state for ${purpose}`);
    return { purpose, currentVersion: row.current_version, requiredVersion: row.required_version, acknowledgedVersion: row.acknowledged_version, outstanding: row.outstanding };
  };
  return { platform_terms: of('platform_terms'), privacy_notice: of('privacy_notice') };
}

/** The person's live record in a clinic, read as the person; undefined when they are not its patient. */
export async function ownRecord(tx: TransactionSql, principalId: string, organizationId: string): Promise<{ patientId: string; profileSharedAt: Date | null } | undefined> {
  const [row] = await tx<{ id: string; profile_shared_at: Date | null }[]>`
    select p.id, p.profile_shared_at from patients p
    where p.organization_id = ${organizationId} and p.principal_id = ${principalId} and p.deleted_at is null`;
  return row === undefined ? undefined : { patientId: row.id, profileSharedAt: row.profile_shared_at };
}

/** The latest version of the clinic's notice, or null when it has published none. */
export async function currentNoticeVersion(tx: TransactionSql, organizationId: string): Promise<number | null> {
  const [row] = await tx<{ version: number | null }[]>`select max(version)::int as version from privacy_notices where organization_id = ${organizationId}`;
  return row?.version ?? null;
}

export type CurrentChoice = { purpose: string; granted: boolean; recordedAt: string | null; documentVersion: number | null };

/** What holds now for each optional purpose in a clinic; never recorded counts as not granted. */
export async function currentChoices(tx: TransactionSql, principalId: string, organizationId: string, codes: readonly string[]): Promise<CurrentChoice[]> {
  const rows = await tx<{ purpose: string; granted: boolean; recorded_at: Date; document_version: number | null }[]>`
    select purpose, granted, recorded_at, document_version from consent_current where principal_id = ${principalId} and organization_id = ${organizationId}`;
  return codes.map((purpose) => {
    const row = rows.find((candidate) => candidate.purpose === purpose);
    return { purpose, granted: row?.granted ?? false, recordedAt: row?.recorded_at.toISOString() ?? null, documentVersion: row?.document_version ?? null };
  });
}

export type TrailEntry = {
  id: string;
  organizationId: string | null;
  purpose: string;
  action: 'grant' | 'withdraw';
  legalBasis: string;
  documentVersion: number | null;
  recordedAt: string;
  source: string;
};

type TrailRow = { id: string; organization_id: string | null; purpose: string; action: TrailEntry['action']; legal_basis: string; document_version: number | null; recorded_at: Date; source: string };

/** Every row of the person's ledger RLS lets the caller see, newest first (for one clinic, or all). */
export async function trail(tx: TransactionSql, principalId: string, organizationId?: string): Promise<TrailEntry[]> {
  const rows = await tx<TrailRow[]>`
    select id, organization_id, purpose, action, legal_basis, document_version, recorded_at, source from consent_ledger
    where principal_id = ${principalId} ${organizationId === undefined ? tx`` : tx`and organization_id = ${organizationId}`}
    order by seq desc`;
  return rows.map((row) => ({
    id: row.id, organizationId: row.organization_id, purpose: row.purpose, action: row.action, legalBasis: row.legal_basis,
    documentVersion: row.document_version, recordedAt: row.recorded_at.toISOString(), source: row.source,
  }));
}

export type LedgerWrite = {
  principalId: string;
  organizationId: string | null;
  purpose: string;
  action: 'grant' | 'withdraw';
  legalBasis: string;
  documentVersion: number | null;
  source: 'onboarding' | 'portal' | 'reacknowledgement';
  requestId: string;
};

/** Appends one row, as the person (RLS: their own, for a clinic they are a patient of). Returns its id. */
export async function appendLedger(tx: TransactionSql, row: LedgerWrite): Promise<string> {
  const [written] = await tx<{ id: string }[]>`
    insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, document_version, recorded_by, source, request_id)
    values (${row.principalId}, ${row.organizationId}, ${row.purpose}, ${row.action}, ${row.legalBasis}, ${row.documentVersion},
            ${row.principalId}, ${row.source}, ${row.requestId.slice(0, 64)})
    returning id`;
  if (written === undefined) throw new DomainError('INTERNAL', 'the ledger row was not written');
  return written.id;
}

/** The legal basis a purpose is recorded under (the catalogue's default). */
export async function legalBasisOf(tx: TransactionSql, purpose: string): Promise<string> {
  const [row] = await tx<{ legal_basis: string }[]>`select legal_basis from consent_purposes where code = ${purpose}`;
  if (row === undefined) throw new DomainError('INVALID_INPUT', `no purpose ${purpose}`);
  return row.legal_basis;
}
