import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import type { RequestContext } from '../request-context.ts';
import { actAsCaller, type Caller } from './caller.ts';
import { requireKeyManager } from './permissions.ts';

export type ServiceAccountView = {
  id: string;
  organizationId: string;
  name: string;
  createdAt: string;
  disabledAt: string | null;
};

type ServiceAccountRow = { principal_id: string; organization_id: string; name: string; created_at: Date; disabled_at: Date | null };

const view = (row: ServiceAccountRow): ServiceAccountView => ({
  id: row.principal_id,
  organizationId: row.organization_id,
  name: row.name,
  createdAt: row.created_at.toISOString(),
  disabledAt: row.disabled_at?.toISOString() ?? null,
});

/**
 * A new service account of the caller's clinic: a principal of kind 'service_account' and its row,
 * written under RLS (owners and admins only) with the audit row in the same transaction.
 */
export async function createServiceAccount(sql: Sql, caller: Caller, request: RequestContext, input: { name: string }): Promise<ServiceAccountView> {
  const organizationId = requireKeyManager(caller);
  const id = randomUUID();
  return sql.begin(async (tx) => {
    await actAsCaller(tx, caller);
    await tx`insert into principals (id, kind) values (${id}, 'service_account')`;
    await tx`insert into service_accounts (principal_id, organization_id, name, created_by)
      values (${id}, ${organizationId}, ${input.name}, ${caller.auth.principalId})`;
    const [row] = await tx<ServiceAccountRow[]>`
      select principal_id, organization_id, name, created_at, disabled_at from service_accounts where principal_id = ${id}`;
    if (row === undefined) throw new DomainError('INTERNAL', 'the service account was not created');
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: caller.auth.principalId,
      organizationId,
      action: 'service_account.created',
      entityType: 'service_account',
      entityId: id,
      writeId: null,
      changes: { name: input.name },
    });
    return view(row);
  });
}
