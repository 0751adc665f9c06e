import type { AuditEntry } from '../sync/audit-api.ts';

/** One field of an entry, as the viewer lists it: what it was and what it became. */
export type FieldChange = { field: string; before: string | null; after: string | null };

/** Values the server replaced by their class (server/audit/redact.ts). */
export const REDACTED_VALUES = ['[personal]', '[health]', '[secret]'] as const;
export type RedactedValue = (typeof REDACTED_VALUES)[number];

export function isRedacted(value: string | null): value is RedactedValue {
  return value !== null && (REDACTED_VALUES as readonly string[]).includes(value);
}

const text = (value: unknown): string | null => {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
};

// Bookkeeping every write touches: it says nothing a person would look for.
const NOISE = new Set(['updated_at', 'updated_by', 'created_at', 'id', 'organization_id']);

/**
 * What an entry changed: the before/after diff when there is one (fields that changed, from the
 * row itself), else what was asked for (a refused write, a REST action), as after-values.
 */
export function fieldChanges(entry: Pick<AuditEntry, 'diff' | 'changes'>): FieldChange[] {
  if (entry.diff !== null) {
    const before = entry.diff.before ?? {};
    const after = entry.diff.after ?? {};
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((field) => !NOISE.has(field));
    return fields.map((field) => ({ field, before: text(before[field]), after: text(after[field]) }));
  }
  return Object.entries(entry.changes)
    .filter(([field]) => field !== 'id')
    .map(([field, value]) => ({ field, before: null, after: text(value) }));
}
