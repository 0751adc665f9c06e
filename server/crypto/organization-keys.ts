import type { Sql } from 'postgres';
import type { DataKey, KeyProviderName } from './key-provider.ts';

/**
 * The organization_keys table (db/migrations/0013_organization_keys.sql): wrapped data keys, one
 * current version per organisation. Read and written by the server's own login outside any
 * principal's transaction, one statement (or one short transaction) at a time.
 */

export type StoredKey = { version: number; provider: KeyProviderName; keyId: string; wrappedKey: Buffer };

type Row = { version: number; provider: KeyProviderName; key_id: string; wrapped_key: Buffer };
const stored = (row: Row): StoredKey => ({ version: row.version, provider: row.provider, keyId: row.key_id, wrappedKey: row.wrapped_key });

export async function currentKey(sql: Sql, organizationId: string): Promise<StoredKey | null> {
  const [row] = await sql<Row[]>`
    select version, provider, key_id, wrapped_key from organization_keys
    where organization_id = ${organizationId} and retired_at is null`;
  return row === undefined ? null : stored(row);
}

export async function keyOfVersion(sql: Sql, organizationId: string, version: number): Promise<StoredKey | null> {
  const [row] = await sql<Row[]>`
    select version, provider, key_id, wrapped_key from organization_keys
    where organization_id = ${organizationId} and version = ${version}`;
  return row === undefined ? null : stored(row);
}

/**
 * Stores version 1 unless the organisation already has a key; another replica may win the race,
 * and then its key is the one to use (null here).
 */
export async function insertFirstKey(sql: Sql, organizationId: string, provider: KeyProviderName, key: DataKey): Promise<StoredKey | null> {
  const [row] = await sql<Row[]>`
    insert into organization_keys (organization_id, version, provider, key_id, wrapped_key)
    select ${organizationId}, 1, ${provider}, ${key.keyId}, ${key.wrapped}
    where not exists (select 1 from organization_keys where organization_id = ${organizationId})
    on conflict do nothing
    returning version, provider, key_id, wrapped_key`;
  return row === undefined ? null : stored(row);
}

/**
 * Retires the current version and stores `key` as the next one, in one transaction: encryption moves
 * to it at once on this server, and on the others when their cached current version expires.
 */
export async function insertNextKey(sql: Sql, organizationId: string, provider: KeyProviderName, key: DataKey): Promise<StoredKey> {
  return sql.begin(async (tx) => {
    // Serialises rotations of one organisation; the unique current-key index backs it up.
    await tx`select pg_advisory_xact_lock(hashtextextended(${`organization_keys:${organizationId}`}, 0))`;
    await tx`update organization_keys set retired_at = clock_timestamp() where organization_id = ${organizationId} and retired_at is null`;
    const [row] = await tx<Row[]>`
      insert into organization_keys (organization_id, version, provider, key_id, wrapped_key)
      select ${organizationId}, coalesce(max(version), 0) + 1, ${provider}, ${key.keyId}, ${key.wrapped}
      from organization_keys where organization_id = ${organizationId}
      returning version, provider, key_id, wrapped_key`;
    if (row === undefined) throw new Error(`no data key version was stored for organisation ${organizationId}`);
    return stored(row);
  });
}
