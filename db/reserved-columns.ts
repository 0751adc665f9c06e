/**
 * The reserved-column convention of tenant tables (every table of the public schema with an
 * `organization_id`; partitions are checked through their parent). Checked over the live catalogue
 * by db/reserved-columns.pg.test.ts:
 * - `id`:              a column named id, part of the primary key;
 * - `organization_id`: uuid, not null, and part of a foreign key (to organizations, or together with
 *                      another key to a table whose organization_id is, e.g. api_keys → service_accounts);
 * - `created_at`:      timestamptz, not null, with a default (the database clock);
 * - `updated_at`:      the same, on every table the runtime role may UPDATE (any column);
 * - `updated_by`:      on every such table too, a uuid;
 * - `created_by`, `updated_by`, wherever present: uuid with a foreign key to principals or humans.
 * A table that departs from it is listed below, per rule, with the reason. An entry that no longer
 * matches a departure fails the test too, so this list only ever describes the schema as it is.
 */
export const RESERVED_RULES = ['id', 'organization_id', 'organization_id_fk', 'created_at', 'updated_at', 'updated_by', 'actor_columns'] as const;
export type ReservedRule = (typeof RESERVED_RULES)[number];

const PRINCIPAL_KIND_TABLE = 'a principal-kind table (0002): keyed by principal_id, one row per principal of that kind';
const LIFECYCLE_STAMPS = 'requests change it only through its lifecycle columns, each of which says when';

export const RESERVED_COLUMN_EXCEPTIONS: Record<string, Partial<Record<ReservedRule, string>>> = {
  agents: {
    id: PRINCIPAL_KIND_TABLE,
    organization_id: 'null for an agent that works for its owner across clinics (0002)',
  },
  service_accounts: { id: PRINCIPAL_KIND_TABLE },
  audit_log: {
    organization_id: 'null for platform-level actions (operators, sign-in) that belong to no clinic',
    organization_id_fk: 'audit entries outlive the organisation row they describe; they are never cascaded away',
    created_at: 'an event: its moment is occurred_at',
  },
  api_keys: {
    updated_at: `${LIFECYCLE_STAMPS} (revoked_at, last_used_at)`,
    updated_by: 'who revoked a key is in audit_log; last use is stamped by the key itself',
  },
  invitations: {
    updated_at: `${LIFECYCLE_STAMPS} (resend: last_sent_at, sent_count, expires_at; accepted_at; revoked_at)`,
    updated_by: 'accepted_by names who accepted; resend and revoke are in audit_log',
  },
  invitation_tokens: {
    id: 'keyed by the SHA-256 of the token: looking a token up by its hash is the table\'s purpose',
    created_at: 'its moment is issued_at',
    updated_at: `${LIFECYCLE_STAMPS} (superseded_at)`,
    updated_by: 'a token is superseded by a resend, which audit_log records',
  },
  share_links: {
    updated_at: `${LIFECYCLE_STAMPS} (revoked_at; uses counts share_link_joins, each with its joined_at)`,
    updated_by: 'revocation is in audit_log; each use is a share_link_joins row with its principal',
  },
  share_link_joins: { created_at: 'an event: its moment is joined_at' },
  locations: {
    updated_by: 'a synced table: every location mutator writes an audit_log row naming the actor, and the client schema stays as it is',
  },
  // Tables of the other issue-4 items, read from their migrations (0013, 0014).
  organization_keys: { id: 'keyed by (organization_id, version): the version every ciphertext names is the row\'s identity' },
  domain_events: {
    organization_id: 'null for platform-level events (sign-in mail, operators) that belong to no clinic',
    created_at: 'an event: its moment is occurred_at',
  },
  // The consent ledger (0019): append-only, each row written once.
  consent_ledger: {
    organization_id: 'null for platform-scope purposes (the terms), which are between the person and the platform',
    created_at: 'an event: its moment is recorded_at, stamped by the database',
  },
  principal_activity: {
    organization_id: 'null for activity outside any clinic (Console, a patient\'s Portal home)',
    updated_at: 'last_seen_at is the only column a request changes, stamped by the database',
    updated_by: 'only the principal itself ever writes its row (principal_id)',
  },
};
