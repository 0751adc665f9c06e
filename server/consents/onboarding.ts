import type { Sql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import { acknowledgeIn } from './acknowledge.ts';
import { acknowledgements, appendLedger, currentChoices, currentNoticeVersion, legalBasisOf, optionalPurposeCodes, ownRecord } from './consent-records.ts';

export type OnboardingInput = {
  organizationId: string;
  /** The terms version the person accepted on the page; null when they had accepted the current one before. */
  platformTermsVersion: number | null;
  /** The clinic's notice version the person acknowledged on the page. */
  privacyNoticeVersion: number | null;
  /** The optional purposes' toggles, off unless turned on. */
  choices: Record<string, boolean>;
};

export type OnboardingResult = { patientId: string; profileSharedAt: string };

/**
 * The consent block after joining a clinic, in one transaction as the person: the acknowledgements
 * still outstanding (the terms, the clinic's notice), the optional purposes they turned on, and then
 * app_complete_patient_onboarding (0019), which checks the acknowledgements itself and only then
 * lets the clinic see the person's profile. Nothing is recorded if any of it is refused.
 */
export async function completeOnboarding(sql: Sql, auth: AuthContext, request: RequestContext, input: OnboardingInput): Promise<OnboardingResult> {
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const me = auth.principalId;
    const record = await ownRecord(tx, me, input.organizationId);
    if (record === undefined) throw new DomainError('NOT_FOUND', 'not a patient of this clinic');
    const codes = await optionalPurposeCodes(tx);
    const unknown = Object.keys(input.choices).filter((code) => !codes.includes(code));
    if (unknown.length > 0) throw new DomainError('INVALID_INPUT', 'unknown optional purposes', { issues: unknown.map((code) => ({ path: ['choices', code], message: 'not an optional purpose' })) });

    const before = await acknowledgements(tx, me, input.organizationId);
    if (before.privacy_notice.currentVersion === null) throw new DomainError('INVALID_TRANSITION', 'the clinic has not published its privacy notice yet');
    const missing: string[] = [];
    if (before.platform_terms.outstanding && input.platformTermsVersion === null) missing.push('platformTermsVersion');
    if (before.privacy_notice.outstanding && input.privacyNoticeVersion === null) missing.push('privacyNoticeVersion');
    if (missing.length > 0) {
      throw new DomainError('INVALID_INPUT', 'the required acknowledgements are missing', { issues: missing.map((field) => ({ path: [field], message: 'required' })) });
    }
    const recorded: string[] = [];
    if (input.platformTermsVersion !== null) {
      const id = await acknowledgeIn(tx, me, { purpose: 'platform_terms', organizationId: null, version: input.platformTermsVersion }, 'onboarding', request.requestId);
      if (id !== null) recorded.push(id);
    }
    if (input.privacyNoticeVersion !== null) {
      const id = await acknowledgeIn(tx, me, { purpose: 'privacy_notice', organizationId: input.organizationId, version: input.privacyNoticeVersion }, 'onboarding', request.requestId);
      if (id !== null) recorded.push(id);
    }
    const noticeVersion = await currentNoticeVersion(tx, input.organizationId);
    for (const choice of await currentChoices(tx, me, input.organizationId, codes)) {
      const wanted = input.choices[choice.purpose] ?? false;
      if (wanted === choice.granted) continue;
      recorded.push(await appendLedger(tx, {
        principalId: me, organizationId: input.organizationId, purpose: choice.purpose, action: wanted ? 'grant' : 'withdraw',
        legalBasis: await legalBasisOf(tx, choice.purpose), documentVersion: noticeVersion, source: 'onboarding', requestId: request.requestId,
      }));
    }

    let sharedAt: Date;
    try {
      const [row] = await tx<{ shared: Date }[]>`select app_complete_patient_onboarding(${input.organizationId}) as shared`;
      if (row === undefined) throw new DomainError('INTERNAL', 'onboarding did not answer');
      sharedAt = row.shared;
    } catch (error) {
      if ((error as { constraint_name?: string }).constraint_name === 'consent_onboarding_incomplete') {
        throw new DomainError('INVALID_INPUT', 'the required acknowledgements are missing', { issues: [{ path: ['privacyNoticeVersion'], message: 'required' }] });
      }
      throw error;
    }
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: me,
      organizationId: input.organizationId,
      action: 'patient.onboarding_completed',
      entityType: 'patient',
      entityId: record.patientId,
      writeId: null,
      // The ledger rows, not what they say: a person's choices are personal, and audit entries are never erased.
      changes: { ledgerIds: recorded, platformTermsVersion: input.platformTermsVersion, privacyNoticeVersion: input.privacyNoticeVersion },
    });
    return { patientId: record.patientId, profileSharedAt: sharedAt.toISOString() };
  });
}
