import type { ReadonlyJSONValue } from '@rocicorp/zero';
import type { MutateRequestHandler, TransactFn } from '@rocicorp/zero/server';
import type { TransactionSql } from 'postgres';
import { z } from 'zod';
import type { AuthContext } from '../../sync-rules/context.ts';
import type { DomainError, ErrorCode } from '../../sync-rules/errors.ts';
import { AUDIT_ACTIONS, isMutatorName } from '../../sync-rules/mutators.ts';
import { appendAudit, outcomeOf, requestAuditFields, UNKNOWN_MUTATION_ACTION } from '../audit.ts';
import type { ZeroDbProvider } from '../db.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import { runServerMutation } from './run-server-mutation.ts';

export type Refusal = { mutator: string; args: ReadonlyJSONValue | undefined; code: ErrorCode };

const ZUuid = z.uuid();
// A refused push may carry anything; what it asked for is kept only up to this size.
const CHANGES_MAX_BYTES = 2048;

const uuidOrNull = (value: unknown): string | null => (ZUuid.safeParse(value).success ? (value as string) : null);

function askedFor(args: ReadonlyJSONValue | undefined): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return {};
  const { writeId: _writeId, ...rest } = args as Record<string, unknown>;
  return JSON.stringify(rest).length <= CHANGES_MAX_BYTES ? rest : { truncated: true };
}

/**
 * Records a refused or failed mutation. Zero rolled its transaction back, audit row included, so
 * this is a separate short transaction, as the same principal under RLS (the insert policy admits
 * their own rows), in the organisation they work in, never the one the arguments name: a refused
 * write cannot put entries into another clinic's log. A failure to record is logged, and the
 * client's answer stays the refusal it was.
 */
export async function auditRefusal(dbProvider: ZeroDbProvider, auth: AuthContext, request: RequestContext, refusal: Refusal): Promise<void> {
  const known = isMutatorName(refusal.mutator) ? AUDIT_ACTIONS[refusal.mutator] : null;
  const args = typeof refusal.args === 'object' && refusal.args !== null && !Array.isArray(refusal.args) ? refusal.args as Record<string, unknown> : {};
  try {
    // The pool Zero's transactions come from (server/db.ts), outside any of them.
    await dbProvider.connection.transaction(async (dbTx) => {
      const tx = dbTx.wrappedTransaction as TransactionSql;
      await actAs(tx, auth);
      await appendAudit(tx, {
        ...requestAuditFields(request),
        actorPrincipalId: auth.principalId,
        organizationId: auth.organizationId,
        action: known?.action ?? UNKNOWN_MUTATION_ACTION,
        entityType: known?.entityType ?? 'mutator',
        entityId: known === null ? refusal.mutator.slice(0, 100) : (uuidOrNull(args.id) ?? ''),
        writeId: uuidOrNull(args.writeId),
        changes: askedFor(refusal.args),
        outcome: outcomeOf(refusal.code),
        errorCode: refusal.code,
      });
    });
  } catch (error) {
    request.log.error({ err: error, mutator: refusal.mutator, code: refusal.code }, 'a refused mutation could not be audited');
  }
}

type Audited = { dbProvider: ZeroDbProvider; auth: AuthContext; request: RequestContext };
type PushedMutation = Parameters<MutateRequestHandler<ZeroDbProvider>>[1];
type MutationResponse = Awaited<ReturnType<MutateRequestHandler<ZeroDbProvider>>>;

/**
 * One pushed mutation: runs it in Zero's transaction and, when it was refused or failed, audits
 * that after the rollback. A failure Zero met on its own (the commit itself) is recorded as INTERNAL.
 */
export async function transactAudited(transact: TransactFn<ZeroDbProvider>, mutation: PushedMutation, deps: Audited): Promise<MutationResponse> {
  const seen: { refusal: DomainError | null } = { refusal: null };
  const response = await transact((tx, name, args) => runServerMutation(tx, name, args, deps.auth, deps.request, (error) => { seen.refusal = error; }));
  const failed = 'error' in response.result && response.result.error === 'app';
  if (seen.refusal !== null || failed) {
    await auditRefusal(deps.dbProvider, deps.auth, deps.request, { mutator: mutation.name, args: mutation.args[0], code: seen.refusal?.code ?? 'INTERNAL' });
  }
  return response;
}
