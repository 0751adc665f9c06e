import type { Sql, TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import { acknowledgements, appendLedger, legalBasisOf, ownRecord, type Acknowledgement, type DocumentPurpose } from './consent-records.ts';

export type AcknowledgeInput = { purpose: DocumentPurpose; organizationId: string | null; version: number };

// The terms' state does not depend on the clinic (app_acknowledgements takes one anyway).
const NO_CLINIC = '00000000-0000-0000-0000-000000000000';

/**
 * Records that the person read and accepts `version` of a document, inside a transaction acting as
 * them. Only the current version can be acknowledged: one published since the page was loaded is
 * refused (INVALID_TRANSITION), so nobody acknowledges a text they were not shown. Acknowledging
 * again what already stands records nothing. Returns the ledger row's id, or null.
 */
export async function acknowledgeIn(tx: TransactionSql, principalId: string, input: AcknowledgeInput, source: 'onboarding' | 'reacknowledgement', requestId: string): Promise<string | null> {
  const organizationId = input.purpose === 'platform_terms' ? null : input.organizationId;
  if (input.purpose === 'privacy_notice' && organizationId === null) {
    throw new DomainError('INVALID_INPUT', 'a privacy notice is a clinic\'s', { issues: [{ path: ['organizationId'], message: 'required' }] });
  }
  const state: Acknowledgement = (await acknowledgements(tx, principalId, organizationId ?? NO_CLINIC))[input.purpose];
  if (state.currentVersion === null) throw new DomainError('INVALID_TRANSITION', 'there is no published version to acknowledge');
  if (input.version !== state.currentVersion) {
    throw new DomainError('INVALID_TRANSITION', `version ${String(state.currentVersion)} is the current one; read it first`, { currentVersion: state.currentVersion });
  }
  if (state.acknowledgedVersion === state.currentVersion) return null;
  return appendLedger(tx, {
    principalId,
    organizationId,
    purpose: input.purpose,
    action: 'grant',
    legalBasis: await legalBasisOf(tx, input.purpose),
    documentVersion: input.version,
    source,
    requestId,
  });
}

/** The Portal's prompt after a material change: acknowledges the current terms or a clinic's current notice. */
export async function acknowledge(sql: Sql, auth: AuthContext, request: RequestContext, input: AcknowledgeInput): Promise<Acknowledgement> {
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const me = auth.principalId;
    if (input.purpose === 'privacy_notice' && (input.organizationId === null || (await ownRecord(tx, me, input.organizationId)) === undefined)) {
      throw new DomainError('NOT_FOUND', 'not a patient of this clinic');
    }
    const ledgerId = await acknowledgeIn(tx, me, input, 'reacknowledgement', request.requestId);
    const organizationId = input.purpose === 'platform_terms' ? null : input.organizationId;
    const after = (await acknowledgements(tx, me, organizationId ?? NO_CLINIC))[input.purpose];
    if (ledgerId !== null) {
      await appendAudit(tx, {
        ...requestAuditFields(request),
        actorPrincipalId: me,
        organizationId,
        action: 'consent.acknowledged',
        entityType: 'consent',
        entityId: ledgerId,
        writeId: null,
        changes: { purpose: input.purpose, documentVersion: input.version, source: 'reacknowledgement' },
      });
    }
    return after;
  });
}
