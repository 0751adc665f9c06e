import { createHash } from 'node:crypto';

/**
 * The canonical content of an audit entry, version 1, exactly as the database's chaining trigger
 * builds it (db/migrations/0012_audit_chain.sql): the line `restartix.audit.v1`, then each field below
 * on its own line, `~` when null, else `<UTF-8 byte length>:<text>`. Each field is the column's text
 * form as `AUDIT_FIELD_SQL` renders it. The length prefix makes the encoding unambiguous without
 * trusting two JSON serialisers to escape alike. Changing anything here is a new version.
 */
export const CANONICAL_VERSION = 'restartix.audit.v1';

export const CANONICAL_FIELDS = [
  'id', 'organization_id', 'chain_seq', 'prev_id', 'prev_hash', 'occurred_at', 'request_id',
  'actor_principal_id', 'subject_principal_id', 'break_glass_session_id', 'action', 'entity_type',
  'entity_id', 'write_id', 'outcome', 'error_code', 'ip_address', 'user_agent', 'changes', 'diff',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];
export type CanonicalEntry = Record<CanonicalField, string | null>;

/** How each field is rendered as text, in SQL; the trigger renders NEW's fields the same way. */
export const AUDIT_FIELD_SQL: Record<CanonicalField, string> = {
  id: 'id::text',
  organization_id: 'organization_id::text',
  chain_seq: 'chain_seq::text',
  prev_id: 'prev_id::text',
  prev_hash: "encode(prev_hash, 'hex')",
  occurred_at: `to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  request_id: 'request_id',
  actor_principal_id: 'actor_principal_id::text',
  subject_principal_id: 'subject_principal_id::text',
  break_glass_session_id: 'break_glass_session_id::text',
  action: 'action',
  entity_type: 'entity_type',
  entity_id: 'entity_id',
  write_id: 'write_id::text',
  outcome: 'outcome',
  error_code: 'error_code',
  ip_address: 'ip_address::text',
  user_agent: 'user_agent',
  changes: 'changes::text',
  diff: 'diff::text',
};

const field = (value: string | null): string => (value === null ? '~' : `${String(Buffer.byteLength(value, 'utf8'))}:${value}`);

export function canonicalContent(entry: CanonicalEntry): string {
  return [CANONICAL_VERSION, ...CANONICAL_FIELDS.map((name) => field(entry[name]))].join('\n');
}

/** SHA-256 of the canonical content, lowercase hex. */
export function entryHash(entry: CanonicalEntry): string {
  return createHash('sha256').update(canonicalContent(entry), 'utf8').digest('hex');
}
