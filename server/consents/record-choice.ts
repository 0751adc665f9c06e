import type { Sql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import { appendLedger, currentChoices, currentNoticeVersion, legalBasisOf, optionalPurposeCodes, ownRecord, type CurrentChoice } from './consent-records.ts';

export type ChoiceInput = { organizationId: string; purpose: string; granted: boolean };

/**
 * A person turns an optional purpose on or off for one clinic (the Portal's toggles). It takes
 * effect at once: whatever reads the purpose reads the ledger (reminders are checked when sent). A
 * choice that is already what holds records nothing. Only optional purposes: the required
 * acknowledgements are made by reading their document (acknowledge.ts), never switched off.
 */
export async function recordChoice(sql: Sql, auth: AuthContext, request: RequestContext, input: ChoiceInput): Promise<CurrentChoice> {
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const me = auth.principalId;
    if (!(await optionalPurposeCodes(tx)).includes(input.purpose)) {
      throw new DomainError('INVALID_INPUT', 'only optional purposes are switched on and off', { issues: [{ path: ['purpose'], message: 'not an optional purpose' }] });
    }
    // Not a patient there: the same answer as a clinic that does not exist.
    if ((await ownRecord(tx, me, input.organizationId)) === undefined) throw new DomainError('NOT_FOUND', 'not a patient of this clinic');
    const [now] = await currentChoices(tx, me, input.organizationId, [input.purpose]);
    if (now !== undefined && now.granted === input.granted && (input.granted || now.recordedAt !== null)) return now;
    const ledgerId = await appendLedger(tx, {
      principalId: me,
      organizationId: input.organizationId,
      purpose: input.purpose,
      action: input.granted ? 'grant' : 'withdraw',
      legalBasis: await legalBasisOf(tx, input.purpose),
      // The notice in force when the choice was made.
      documentVersion: await currentNoticeVersion(tx, input.organizationId),
      source: 'portal',
      requestId: request.requestId,
    });
    const [after] = await currentChoices(tx, me, input.organizationId, [input.purpose]);
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: me,
      organizationId: input.organizationId,
      action: input.granted ? 'consent.granted' : 'consent.withdrawn',
      entityType: 'consent',
      entityId: ledgerId,
      writeId: null,
      changes: { purpose: input.purpose, source: 'portal' },
    });
    if (after === undefined) throw new DomainError('INTERNAL', 'the choice was not recorded');
    return after;
  });
}
