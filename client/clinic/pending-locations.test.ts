import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../sync/outbox-entry.ts';
import { withPendingWrites, type LocationRow } from './pending-locations.ts';

const ORG = '11111111-1111-4111-8111-111111111111';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const row = (n: number, name: string, status: LocationRow['status'] = 'active'): LocationRow => ({
  id: uuid(n),
  organizationId: ORG,
  slug: name.toLowerCase(),
  name,
  address: '',
  city: 'Cluj',
  country: 'RO',
  status,
  closedAt: status === 'closed' ? 5 : null,
  createdAt: 1,
  updatedAt: 1,
});

let clock = 100;
const entry = (name: OutboxEntry['name'], args: Record<string, string>): OutboxEntry => ({
  writeId: uuid(900 + clock),
  name,
  args: { writeId: uuid(900 + clock), ...args },
  createdAt: clock++,
});

describe('withPendingWrites', () => {
  it('returns the synced rows unchanged and not pending when nothing is queued', () => {
    const rows = [row(1, 'Alba'), row(2, 'Brașov')];
    expect(withPendingWrites(rows, [], ORG)).toEqual(rows.map((r) => ({ ...r, pending: false })));
  });

  it('shows a location created offline, in name order, as pending and active', () => {
    const rows = [row(1, 'Alba'), row(2, 'Cluj')];
    const views = withPendingWrites(rows, [entry('location.create', { id: uuid(3), name: 'Brăila', slug: 'braila' })], ORG);
    expect(views.map((v) => [v.name, v.status, v.pending])).toEqual([
      ['Alba', 'active', false],
      ['Brăila', 'active', true],
      ['Cluj', 'active', false],
    ]);
    expect(views[1]?.organizationId).toBe(ORG);
  });

  it('marks a created row Zero already shows as pending without overwriting it', () => {
    const views = withPendingWrites([row(1, 'Alba')], [entry('location.create', { id: uuid(1), name: 'Other', slug: 'other' })], ORG);
    expect(views.map((v) => [v.name, v.pending])).toEqual([['Alba', true]]);
  });

  it('lays unconfirmed edits and status changes over the row, in order', () => {
    const views = withPendingWrites(
      [row(1, 'Alba'), row(2, 'Brașov')],
      [
        entry('location.update', { id: uuid(1), city: 'Sibiu' }),
        entry('location.setStatus', { id: uuid(1), status: 'inactive' }),
        entry('location.setStatus', { id: uuid(1), status: 'closed' }),
      ],
      ORG,
    );
    expect(views[0]).toMatchObject({ city: 'Sibiu', name: 'Alba', status: 'closed', pending: true });
    expect(views[0]?.closedAt).not.toBeNull();
    expect(views[1]?.pending).toBe(false);
  });

  it('keeps a closed location closed', () => {
    const views = withPendingWrites([row(1, 'Alba', 'closed')], [entry('location.setStatus', { id: uuid(1), status: 'active' })], ORG);
    expect(views[0]?.status).toBe('closed');
  });

  it('ignores writes for rows it cannot see and writes it cannot read', () => {
    const views = withPendingWrites(
      [row(1, 'Alba')],
      [entry('location.update', { id: uuid(7), name: 'Ghost' }), entry('location.setStatus', { id: 'nope', status: 'x' }), entry('organization.create', { id: uuid(8) })],
      ORG,
    );
    expect(views.map((v) => [v.name, v.pending])).toEqual([['Alba', false]]);
  });
});
