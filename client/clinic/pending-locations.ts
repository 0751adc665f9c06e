import type { Row } from '@rocicorp/zero';
import { ZCreateLocation, ZSetLocationStatus, ZUpdateLocation } from '../../sync-rules/mutators/locations.ts';
import type { Schema } from '../../sync-rules/schema.ts';
import type { OutboxEntry } from '../sync/outbox-entry.ts';

export type LocationRow = Row<Schema['tables']['locations']>;
export type LocationView = LocationRow & { pending: boolean };

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** The fields a partial update sets; an absent field leaves the row's value. */
function definedOnly<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Defined<T>;
}

/**
 * The synced rows with this device's unconfirmed writes laid over them. Zero already shows writes
 * it accepted optimistically, but not those made while it was disconnected (it refuses them; the
 * outbox keeps them), so without this an offline edit would seem to vanish until reconnect.
 * Every row an unconfirmed write touches is marked pending.
 */
export function withPendingWrites(rows: readonly LocationRow[], entries: readonly OutboxEntry[], organizationId: string): LocationView[] {
  const byId = new Map<string, LocationView>(rows.map((row) => [row.id, { ...row, pending: false }]));
  let added = false;
  for (const entry of entries) {
    switch (entry.name) {
      case 'location.create': {
        const parsed = ZCreateLocation.safeParse(entry.args);
        if (!parsed.success) break;
        const { writeId: _writeId, ...fields } = parsed.data;
        const existing = byId.get(fields.id);
        if (existing === undefined) added = true;
        byId.set(
          fields.id,
          existing === undefined
            ? { ...fields, organizationId, status: 'active', closedAt: null, createdAt: entry.createdAt, updatedAt: entry.createdAt, pending: true }
            : { ...existing, pending: true },
        );
        break;
      }
      case 'location.update': {
        const parsed = ZUpdateLocation.safeParse(entry.args);
        const existing = parsed.success ? byId.get(parsed.data.id) : undefined;
        if (!parsed.success || existing === undefined) break;
        const { writeId: _writeId, id: _id, ...changes } = parsed.data;
        byId.set(existing.id, { ...existing, ...definedOnly(changes), pending: true });
        break;
      }
      case 'location.setStatus': {
        const parsed = ZSetLocationStatus.safeParse(entry.args);
        const existing = parsed.success ? byId.get(parsed.data.id) : undefined;
        if (!parsed.success || existing === undefined) break;
        // Mirrors the shared mutator: a closed location stays closed.
        const status = existing.status === 'closed' ? 'closed' : parsed.data.status;
        const closedAt = status === 'closed' ? (existing.closedAt ?? entry.createdAt) : null;
        byId.set(existing.id, { ...existing, status, closedAt, pending: true });
        break;
      }
      case 'organization.create':
        break;
    }
  }
  const views = [...byId.values()];
  // Same order as queries.clinic.locations (name, then id); only needed when rows were added.
  return added ? views.sort((a, b) => (a.name === b.name ? compare(a.id, b.id) : compare(a.name, b.name))) : views;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
