import { mustGetMutator, type ReadonlyJSONValue, type ServerTransaction } from '@rocicorp/zero';
import { ApplicationError } from '@rocicorp/zero/server';
import type { TransactionSql } from 'postgres';
import { z } from 'zod';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { AUDIT_ACTIONS, isMutatorName, mutators } from '../../sync-rules/mutators.ts';
import { appendAudit } from '../audit.ts';
import { actAs, stopActing } from '../db-scope.ts';
import { toDomainError } from '../errors.ts';
import type { RequestContext } from '../request-context.ts';

const ZWriteEnvelope = z.looseObject({ writeId: z.uuid(), id: z.uuid() });

type Issue = { path?: readonly unknown[]; message: string };

function validationIssues(error: unknown): Issue[] | null {
  if (!(error instanceof Error) || error.name !== 'InputValidationError') return null;
  const result = (error as Error & { result?: { issues?: readonly Issue[] } }).result;
  return [...(result?.issues ?? [])];
}

/**
 * The server side of every custom mutator, inside the one transaction Zero opened:
 * act as the principal under RLS → claim the write id (a replay stops here) → the shared mutator
 * (validation, permission, existence, write) → the audit row. Whatever fails becomes an
 * ApplicationError with a code from the shared vocabulary; the transaction rolls back.
 */
export async function runServerMutation(
  tx: ServerTransaction,
  name: string,
  args: ReadonlyJSONValue | undefined,
  auth: AuthContext,
  request: RequestContext,
): Promise<void> {
  const sql = tx.dbTransaction.wrappedTransaction as TransactionSql;
  try {
    if (!isMutatorName(name)) throw new DomainError('NOT_FOUND', `unknown mutator ${name}`);
    const envelope = ZWriteEnvelope.safeParse(args);
    if (!envelope.success) {
      throw new DomainError('INVALID_INPUT', 'writeId and id must be uuids', {
        issues: envelope.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
      });
    }
    await actAs(sql, auth);
    const claimed = await sql`
      insert into write_receipts (write_id, principal_id, mutator)
      values (${envelope.data.writeId}, ${auth.principalId}, ${name})
      on conflict (write_id) do nothing
      returning write_id`;
    if (claimed.length === 0) {
      request.log.info({ writeId: envelope.data.writeId, mutator: name }, 'replayed write ignored');
      await stopActing(sql);
      return;
    }
    await mustGetMutator(mutators, name).fn({ tx, args, ctx: auth });
    const { writeId, ...changes } = envelope.data;
    const audit = AUDIT_ACTIONS[name];
    await appendAudit(sql, {
      requestId: request.requestId,
      actorPrincipalId: auth.principalId,
      organizationId: name === 'organization.create' ? envelope.data.id : auth.organizationId,
      action: audit.action,
      entityType: audit.entityType,
      entityId: envelope.data.id,
      writeId,
      changes,
    });
    await stopActing(sql);
  } catch (thrown) {
    const issues = validationIssues(thrown);
    const error = issues === null
      ? toDomainError(thrown)
      : new DomainError('INVALID_INPUT', 'arguments are not valid', {
          issues: issues.map((issue) => ({ path: (issue.path ?? []).map(String), message: issue.message })),
        });
    if (error.code === 'INTERNAL') request.log.error({ err: thrown, mutator: name }, 'mutation failed');
    else request.log.info({ code: error.code, mutator: name }, 'mutation refused');
    // Round-trip through JSON: details cross the wire to the client.
    throw new ApplicationError(error.message, { details: JSON.parse(JSON.stringify(error.details)) as ReadonlyJSONValue });
  }
}
