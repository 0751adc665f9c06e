import type { Sql } from 'postgres';
import { AUDIT_FIELD_SQL, CANONICAL_FIELDS } from './canonical.ts';
import { LogVerifier, type ChainRecord, type StoredEntry, type VerifyResult } from './verify-chains.ts';

type ChainRow = {
  chain_key: string;
  last_seq: string;
  last_id: string;
  last_hash: string;
  archived_through_seq: string | null;
  archived_through_id: string | null;
  archived_through_hash: string | null;
};

const ENTRY_COLUMNS = [
  ...CANONICAL_FIELDS.map((name) => `${AUDIT_FIELD_SQL[name]} as ${name}`),
  "encode(entry_hash, 'hex') as entry_hash",
].join(', ');

/**
 * Reads every chain of the audit log in one consistent snapshot and verifies it (verify-chains.ts).
 * Needs a login that reads audit_log and audit_chains whole: the cluster's superuser, or the owner
 * role (which opens its read window, app.audit_owner_read, for this transaction only).
 */
export async function verifyAuditLog(sql: Sql): Promise<VerifyResult> {
  return sql.begin('isolation level repeatable read read only', async (tx) => {
    await tx`select set_config('app.audit_owner_read', 'on', true)`;
    const chains = await tx<ChainRow[]>`
      select chain_key, last_seq::text, last_id::text, encode(last_hash, 'hex') as last_hash,
        archived_through_seq::text, archived_through_id::text, encode(archived_through_hash, 'hex') as archived_through_hash
      from audit_chains`;
    const verifier = new LogVerifier(chains.map(toChainRecord));
    await tx.unsafe<StoredEntry[]>(`select ${ENTRY_COLUMNS} from audit_log order by organization_id, chain_seq, id`)
      .cursor(1000, (rows) => { for (const row of rows) verifier.push(row); });
    return verifier.finish();
  });
}

function toChainRecord(row: ChainRow): ChainRecord {
  return {
    chainKey: row.chain_key,
    lastSeq: BigInt(row.last_seq),
    lastId: row.last_id,
    lastHash: row.last_hash,
    archivedThroughSeq: row.archived_through_seq === null ? null : BigInt(row.archived_through_seq),
    archivedThroughId: row.archived_through_id,
    archivedThroughHash: row.archived_through_hash,
  };
}
