import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { mintApiKey, type KeyEnvironment } from '../server/api-keys/key-format.ts';
import type { Permission } from '../sync-rules/permissions.ts';

/**
 * Typed factories for non-human principals, written with a connection that bypasses RLS (like
 * seeds/factories.ts). Routes create them through /api/v1; these are for fixtures.
 */

export type ServiceAccountSpec = { name: string; createdBy?: string | null; disabled?: boolean };
export type ApiKeySpec = {
  name?: string;
  permissions: readonly Permission[];
  environment?: KeyEnvironment;
  expiresAt?: Date | null;
  createdBy?: string | null;
};
export type AgentSpec = { name: string; ownerPrincipalId: string; organizationId?: string | null };

export async function createServiceAccount(sql: Sql, organizationId: string, spec: ServiceAccountSpec): Promise<string> {
  const id = randomUUID();
  await sql.begin(async (tx) => {
    await tx`insert into principals (id, kind) values (${id}, 'service_account')`;
    await tx`insert into service_accounts (principal_id, organization_id, name, created_by, disabled_at)
      values (${id}, ${organizationId}, ${spec.name}, ${spec.createdBy ?? null}, ${spec.disabled === true ? tx`now()` : null})`;
  });
  return id;
}

/** A key of a service account; the whole key is returned, as creation through the API would. */
export async function createApiKey(sql: Sql, serviceAccountId: string, spec: ApiKeySpec): Promise<{ id: string; key: string; prefix: string }> {
  const id = randomUUID();
  const minted = mintApiKey(spec.environment ?? 'test');
  await sql`insert into api_keys (id, service_account_id, organization_id, name, prefix, secret_hash, permissions, expires_at, created_by)
    select ${id}, principal_id, organization_id, ${spec.name ?? 'fixture'}, ${minted.prefix}, ${minted.secretHash},
           ${sql.array([...spec.permissions])}, ${spec.expiresAt ?? null}, ${spec.createdBy ?? null}
    from service_accounts where principal_id = ${serviceAccountId}`;
  return { id, key: minted.key, prefix: minted.prefix };
}

export async function createAgent(sql: Sql, spec: AgentSpec): Promise<string> {
  const id = randomUUID();
  await sql.begin(async (tx) => {
    await tx`insert into principals (id, kind) values (${id}, 'agent')`;
    await tx`insert into agents (principal_id, owner_principal_id, organization_id, name)
      values (${id}, ${spec.ownerPrincipalId}, ${spec.organizationId ?? null}, ${spec.name})`;
  });
  return id;
}
