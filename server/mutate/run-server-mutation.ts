import { mustGetMutator, type ReadonlyJSONValue, type ServerTransaction } from '@rocicorp/zero';
import { ApplicationError } from '@rocicorp/zero/server';
import type { TransactionSql } from 'postgres';
import { z } from 'zod';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { AUDIT_ACTIONS, isMutatorName, mutators } from '../../sync-rules/mutators.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { ENTITY_TABLES, type AuditRecord } from '../audit/redact.ts';
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

/** The entity's row as the principal sees it under RLS, for the audit diff; null when there is none. */
async function snapshot(sql: TransactionSql, entityType: string, id: string): Promise<AuditRecord | null> {
  const table = ENTITY_TABLES[entityType];
  if (table === undefined) return null;
  const [row] = await sql<{ row: AuditRecord }[]>`select to_jsonb(t) as row from ${sql(table)} t where id = ${id}`;
  return row?.row ?? null;
}

/** Called with the refusal before Zero rolls the transaction back, so that it can be audited after. */
export type OnRefused = (error: DomainError) => void;

/**
 * The server side of every custom mutator, inside the one transaction Zero opened:
 * act as the principal under RLS → claim the write id (a replay stops here) → the shared mutator
 * (validation, permission, existence, write) → the audit row with the row's redacted before/after.
 * Whatever fails becomes an ApplicationError with a code from the shared vocabulary and is reported
 * to `onRefused`; the transaction rolls back (server/mutate/audit-refusal.ts records it then).
 */
export async function runServerMutation(
  tx: ServerTransaction,
  name: string,
  args: ReadonlyJSONValue | undefined,
  auth: AuthContext,
  request: RequestContext,
  onRefused: OnRefused = () => undefined,
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
    const audit = AUDIT_ACTIONS[name];
    const before = await snapshot(sql, audit.entityType, envelope.data.id);
    await mustGetMutator(mutators, name).fn({ tx, args, ctx: auth });
    const after = await snapshot(sql, audit.entityType, envelope.data.id);
    const { writeId, ...changes } = envelope.data;
    await appendAudit(sql, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId: name === 'organization.create' ? envelope.data.id : auth.organizationId,
      action: audit.action,
      entityType: audit.entityType,
      entityId: envelope.data.id,
      writeId,
      changes,
      before,
      after,
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
    onRefused(error);
    // Round-trip through JSON: details cross the wire to the client.
    throw new ApplicationError(error.message, { details: JSON.parse(JSON.stringify(error.details)) as ReadonlyJSONValue });
  }
}
