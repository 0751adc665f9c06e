import type { Row } from '@rocicorp/zero';
import { ZCreateOrganization } from '../../sync-rules/mutators/organizations.ts';
import type { Schema } from '../../sync-rules/schema.ts';
import type { OutboxEntry } from '../sync/outbox-entry.ts';

export type OrganizationRow = Row<Schema['tables']['organizations']>;
export type OrganizationView = OrganizationRow & { pending: boolean };

/**
 * The synced organisations plus those created on this device and not confirmed yet (see
 * withPendingWrites in the clinic app for why): newest first, like queries.console.organizations.
 */
export function withPendingOrganizations(rows: readonly OrganizationRow[], entries: readonly OutboxEntry[]): OrganizationView[] {
  const views: OrganizationView[] = rows.map((row) => ({ ...row, pending: false }));
  const known = new Map(views.map((view, index) => [view.id, index]));
  const created: OrganizationView[] = [];
  for (const entry of entries) {
    if (entry.name !== 'organization.create') continue;
    const parsed = ZCreateOrganization.safeParse(entry.args);
    if (!parsed.success) continue;
    const { writeId: _writeId, ...fields } = parsed.data;
    const index = known.get(fields.id);
    const existing = index === undefined ? undefined : views[index];
    if (index !== undefined && existing !== undefined) views[index] = { ...existing, pending: true };
    else created.unshift({ ...fields, activatedAt: null, createdAt: entry.createdAt, updatedAt: entry.createdAt, pending: true });
  }
  return [...created, ...views];
}
