/**
 * Every column of every table, classified. Logs redact by class; a column without a class fails
 * the tests (db/data-classes.pg.test.ts), so a migration cannot add one silently.
 * - public:   may be shown to anyone
 * - internal: ids, states, timestamps; not personal on its own
 * - personal: identifies a person (name, email)
 * - health:   health data of a patient
 * - secret:   credentials and keys; never replicated, encrypted at rest
 */
export type DataClass = 'public' | 'internal' | 'personal' | 'health' | 'secret';

export const DATA_CLASSES: Record<string, Record<string, DataClass>> = {
  schema_migrations: { name: 'internal', checksum: 'internal', applied_at: 'internal' },
  principals: { id: 'internal', kind: 'internal', created_at: 'internal' },
  humans: {
    principal_id: 'internal',
    email: 'personal',
    name: 'personal',
    locale: 'internal',
    platform_role: 'internal',
    created_at: 'internal',
  },
  organizations: {
    id: 'internal',
    slug: 'public',
    name: 'public',
    tenancy_mode: 'internal',
    activated_at: 'internal',
    created_at: 'internal',
    updated_at: 'internal',
  },
  memberships: { id: 'internal', organization_id: 'internal', principal_id: 'internal', role: 'internal', created_at: 'internal' },
  locations: {
    id: 'internal',
    organization_id: 'internal',
    slug: 'public',
    name: 'public',
    address: 'public',
    city: 'public',
    country: 'public',
    status: 'internal',
    closed_at: 'internal',
    created_at: 'internal',
    updated_at: 'internal',
  },
  audit_log: {
    id: 'internal',
    occurred_at: 'internal',
    request_id: 'internal',
    actor_principal_id: 'internal',
    organization_id: 'internal',
    action: 'internal',
    entity_type: 'internal',
    entity_id: 'internal',
    write_id: 'internal',
    // What changed may include personal data once people are edited.
    changes: 'personal',
  },
  write_receipts: { write_id: 'internal', principal_id: 'internal', mutator: 'internal', applied_at: 'internal' },
};

/** Classes that must never appear in a log line. */
export const REDACTED_CLASSES: readonly DataClass[] = ['personal', 'health', 'secret'];
