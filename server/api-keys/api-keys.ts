import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import { DomainError } from '../../sync-rules/errors.ts';
import type { Permission } from '../../sync-rules/permissions.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import type { RequestContext } from '../request-context.ts';
import { actAsCaller, isPermission, type Caller } from './caller.ts';
import { mintApiKey, type KeyEnvironment } from './key-format.ts';
import { requireGrantable, requireKeyManager } from './permissions.ts';

/** What anyone, including the key's creator, can see of a key after its creation. Never the key. */
export type ApiKeyView = {
  id: string;
  serviceAccountId: string;
  name: string;
  prefix: string;
  permissions: Permission[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export type NewApiKey = { name: string; permissions: readonly Permission[]; expiresAt: Date | null };

type ApiKeyRow = {
  id: string;
  service_account_id: string;
  name: string;
  prefix: string;
  permissions: string[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;
const view = (row: ApiKeyRow): ApiKeyView => ({
  id: row.id,
  serviceAccountId: row.service_account_id,
  name: row.name,
  prefix: row.prefix,
  permissions: row.permissions.filter(isPermission),
  createdAt: row.created_at.toISOString(),
  expiresAt: iso(row.expires_at),
  lastUsedAt: iso(row.last_used_at),
  revokedAt: iso(row.revoked_at),
});

// Every column but secret_hash, which the runtime role cannot read anyway.
const selectKeys = (tx: TransactionSql) => tx`
  select id, service_account_id, name, prefix, permissions, created_at, expires_at, last_used_at, revoked_at from api_keys`;

// 32 random bits of prefix: a collision is rare but possible, so a few fresh draws are allowed.
const PREFIX_ATTEMPTS = 3;

type PostgresLikeError = { code?: unknown; constraint_name?: unknown };
const isPrefixCollision = (error: unknown): boolean =>
  typeof error === 'object' && error !== null &&
  (error as PostgresLikeError).code === '23505' && (error as PostgresLikeError).constraint_name === 'api_keys_prefix_key';

/** The service account, as the caller may see it under RLS, or NOT_FOUND (missing and foreign alike). */
async function visibleServiceAccount(tx: TransactionSql, serviceAccountId: string): Promise<{ disabled: boolean }> {
  const [row] = await tx<{ disabled_at: Date | null }[]>`
    select disabled_at from service_accounts where principal_id = ${serviceAccountId}`;
  if (row === undefined) throw new DomainError('NOT_FOUND', 'service account not found');
  return { disabled: row.disabled_at !== null };
}

/**
 * A new key for a service account of the caller's clinic. The whole key is in the answer and
 * nowhere else: the database keeps its prefix and hash.
 */
export async function createApiKey(
  sql: Sql,
  caller: Caller,
  request: RequestContext,
  serviceAccountId: string,
  input: NewApiKey,
  environment: KeyEnvironment,
): Promise<ApiKeyView & { key: string }> {
  const organizationId = requireKeyManager(caller);
  requireGrantable(caller, input.permissions);
  return sql.begin(async (tx) => {
    await actAsCaller(tx, caller);
    const account = await visibleServiceAccount(tx, serviceAccountId);
    if (account.disabled) throw new DomainError('INVALID_INPUT', 'the service account is disabled');
    const id = randomUUID();
    let minted = mintApiKey(environment);
    for (let attempt = 1; ; attempt++) {
      try {
        const candidate = minted;
        await tx.savepoint((sp) => sp`
          insert into api_keys (id, service_account_id, organization_id, name, prefix, secret_hash, permissions, expires_at, created_by)
          values (${id}, ${serviceAccountId}, ${organizationId}, ${input.name}, ${candidate.prefix}, ${candidate.secretHash},
                  ${sp.array([...input.permissions])}, ${input.expiresAt}, ${caller.auth.principalId})`);
        break;
      } catch (error) {
        if (attempt >= PREFIX_ATTEMPTS || !isPrefixCollision(error)) throw error;
        minted = mintApiKey(environment);
      }
    }
    const [row] = await tx<ApiKeyRow[]>`${selectKeys(tx)} where id = ${id}`;
    if (row === undefined) throw new DomainError('INTERNAL', 'the api key was not created');
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: caller.auth.principalId,
      organizationId,
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: id,
      writeId: null,
      changes: { serviceAccountId, name: input.name, prefix: minted.prefix, permissions: [...input.permissions], expiresAt: iso(input.expiresAt) },
    });
    return { ...view(row), key: minted.key };
  });
}

/** The keys of one service account, newest first: prefixes only. */
export async function listApiKeys(sql: Sql, caller: Caller, serviceAccountId: string): Promise<ApiKeyView[]> {
  requireKeyManager(caller);
  return sql.begin(async (tx) => {
    await actAsCaller(tx, caller);
    await visibleServiceAccount(tx, serviceAccountId);
    const rows = await tx<ApiKeyRow[]>`${selectKeys(tx)} where service_account_id = ${serviceAccountId} order by created_at desc, id`;
    return rows.map(view);
  });
}

/** Revokes a key for good. Revoking a revoked key changes nothing and succeeds. */
export async function revokeApiKey(sql: Sql, caller: Caller, request: RequestContext, apiKeyId: string): Promise<void> {
  const organizationId = requireKeyManager(caller);
  await sql.begin(async (tx) => {
    await actAsCaller(tx, caller);
    const [key] = await tx<{ revoked_at: Date | null; prefix: string }[]>`
      select revoked_at, prefix from api_keys where id = ${apiKeyId}`;
    if (key === undefined) throw new DomainError('NOT_FOUND', 'api key not found');
    if (key.revoked_at !== null) return;
    await tx`update api_keys set revoked_at = now() where id = ${apiKeyId} and revoked_at is null`;
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: caller.auth.principalId,
      organizationId,
      action: 'api_key.revoked',
      entityType: 'api_key',
      entityId: apiKeyId,
      writeId: null,
      changes: { prefix: key.prefix },
    });
  });
}
