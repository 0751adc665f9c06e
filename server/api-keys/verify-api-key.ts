import type { Sql } from 'postgres';
import { ROLES } from '../../db/roles.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { actAsCaller, isPermission, type ApiKeyCaller } from './caller.ts';
import { apiKeyPrefix, hashApiKey, hashesMatch } from './key-format.ts';

/** last_used_at is written at most once a minute per key: a busy integration does not write per request. */
export const LAST_USED_RESOLUTION_SECONDS = 60;

type LookupRow = {
  api_key_id: string;
  service_account_id: string;
  organization_id: string;
  permissions: string[];
  secret_hash: Buffer;
  state: 'active' | 'revoked' | 'expired' | 'disabled';
  last_used_at: Date | null;
};

// Compared against when no key has the presented prefix, so that case costs the same as a wrong secret.
const NO_SUCH_KEY = Buffer.alloc(32);

/**
 * An API key → the service account it belongs to, or UNAUTHENTICATED. Before any principal is known
 * the runtime role can see no key, so the lookup goes through `api_key_for_prefix`, a narrow
 * SECURITY DEFINER function (see its migration). The hash is compared here, in constant time.
 * A revoked, expired or disabled key is refused by name: whoever presents it has proved they hold it.
 */
export async function verifyApiKey(sql: Sql, presented: string): Promise<ApiKeyCaller> {
  const prefix = apiKeyPrefix(presented);
  if (prefix === null) throw new DomainError('UNAUTHENTICATED', 'api key invalid');
  const presentedHash = hashApiKey(presented);
  return sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${ROLES.runtime}`);
    const [row] = await tx<LookupRow[]>`select * from api_key_for_prefix(${prefix})`;
    const matches = hashesMatch(presentedHash, row?.secret_hash ?? NO_SUCH_KEY);
    if (row === undefined || !matches) throw new DomainError('UNAUTHENTICATED', 'api key invalid');
    if (row.state !== 'active') throw new DomainError('UNAUTHENTICATED', `api key ${row.state}`);
    const caller: ApiKeyCaller = {
      kind: 'api_key',
      auth: { principalId: row.service_account_id, organizationId: row.organization_id, membershipRole: null, platformRole: null },
      apiKeyId: row.api_key_id,
      prefix,
      // A string the catalogue no longer has grants nothing.
      permissions: row.permissions.filter(isPermission),
    };
    const stale = row.last_used_at === null || Date.now() - row.last_used_at.getTime() >= LAST_USED_RESOLUTION_SECONDS * 1000;
    if (stale) {
      // Under RLS as the key itself (api_keys_self_touch); the condition settles concurrent requests.
      await actAsCaller(tx, caller);
      await tx`update api_keys set last_used_at = now()
        where id = ${row.api_key_id}
          and (last_used_at is null or last_used_at < now() - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}))`;
    }
    return caller;
  });
}
