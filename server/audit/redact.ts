import { DATA_CLASSES, REDACTED_CLASSES, type DataClass } from '../../db/data-classes.ts';

/**
 * What an audit entry may keep of a row's values. Audit entries can never be changed or erased (a
 * person's erasure request cannot reach them), so personal, health and secret values never enter
 * one: they are replaced by their class, e.g. "[personal]". That a field changed stays visible.
 */

/** The table an audited entity type lives in; its columns' classes decide what is redacted. */
export const ENTITY_TABLES: Readonly<Record<string, string>> = {
  location: 'locations',
  organization: 'organizations',
  membership: 'memberships',
  organization_role: 'organization_roles',
  human: 'humans',
  service_account: 'service_accounts',
  api_key: 'api_keys',
  invitation: 'invitations',
  share_link: 'share_links',
  file: 'files',
  consent: 'consent_ledger',
  privacy_notice: 'privacy_notices',
  privacy_notice_template: 'privacy_notice_templates',
  platform_terms: 'platform_terms_versions',
  patient: 'patients',
  patient_profile: 'patient_profiles',
  data_request: 'data_subject_requests',
  patient_tier: 'patient_tiers',
  patient_subscription: 'patient_subscriptions',
};

/**
 * Tables whose columns a write about the entity may also carry: registering a patient writes the
 * person's profile with the record.
 */
const COMPANION_TABLES: Readonly<Record<string, readonly string[]>> = {
  patient: ['patient_profiles'],
};

export type AuditRecord = Record<string, unknown>;
export type AuditDiff = { before: AuditRecord | null; after: AuditRecord | null };

const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * The class of a field of an entity: by column name, whether the field is spelled as the column
 * (`recipient_email`) or as the API spells it (`recipientEmail`). Unknown fields have no class here.
 */
export function classOf(entityType: string, field: string): DataClass | undefined {
  const table = ENTITY_TABLES[entityType];
  for (const name of [...(table === undefined ? [] : [table]), ...(COMPANION_TABLES[entityType] ?? [])]) {
    const columns = DATA_CLASSES[name];
    const found = columns?.[field] ?? columns?.[snakeCase(field)];
    if (found !== undefined) return found;
  }
  return undefined;
}

const isRecord = (value: unknown): value is AuditRecord => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy of `record` with every value of a redacted class replaced by `[class]`. */
export function redactRecord(entityType: string, record: AuditRecord): AuditRecord {
  const copy: AuditRecord = {};
  for (const [field, value] of Object.entries(record)) {
    const dataClass = classOf(entityType, field);
    // A nested group of fields (a patient update's `person`) is redacted field by field too.
    copy[field] = dataClass !== undefined && REDACTED_CLASSES.includes(dataClass) && value !== null ? `[${dataClass}]`
      : isRecord(value) ? redactRecord(entityType, value) : value;
  }
  return copy;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields that differ between a row before and after a write, each side redacted. A created row
 * has no before, a deleted one no after; null when nothing is known or nothing changed.
 */
export function auditDiff(entityType: string, before: AuditRecord | null, after: AuditRecord | null): AuditDiff | null {
  if (before === null && after === null) return null;
  if (before === null || after === null) {
    return { before: before === null ? null : redactRecord(entityType, before), after: after === null ? null : redactRecord(entityType, after) };
  }
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((field) => !same(before[field], after[field]));
  if (changed.length === 0) return null;
  const pick = (row: AuditRecord) => Object.fromEntries(changed.map((field) => [field, row[field] ?? null]));
  return { before: redactRecord(entityType, pick(before)), after: redactRecord(entityType, pick(after)) };
}
