import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../sync/outbox-entry.ts';
import { withPendingOrganizations, type OrganizationRow } from './pending-organizations.ts';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const row = (n: number, name: string): OrganizationRow => ({
  id: uuid(n),
  slug: name.toLowerCase(),
  name,
  tenancyMode: 'shared',
  activatedAt: null,
  createdAt: n,
  updatedAt: n,
});
const create = (n: number, name: string, createdAt: number): OutboxEntry => ({
  writeId: uuid(500 + n),
  name: 'organization.create',
  args: { writeId: uuid(500 + n), id: uuid(n), name, slug: name.toLowerCase() },
  createdAt,
});

describe('withPendingOrganizations', () => {
  it('puts organisations created offline first, newest first, as pending', () => {
    const views = withPendingOrganizations([row(1, 'Old')], [create(2, 'First', 10), create(3, 'Second', 20)]);
    expect(views.map((v) => [v.name, v.pending, v.tenancyMode])).toEqual([
      ['Second', true, 'shared'],
      ['First', true, 'shared'],
      ['Old', false, 'shared'],
    ]);
  });

  it('marks a synced organisation that is still unconfirmed without duplicating it', () => {
    const views = withPendingOrganizations([row(1, 'Old')], [create(1, 'Old', 10)]);
    expect(views.map((v) => [v.name, v.pending])).toEqual([['Old', true]]);
  });

  it('ignores other writes', () => {
    const other: OutboxEntry = { writeId: 'w', name: 'location.create', args: { writeId: 'w' }, createdAt: 1 };
    expect(withPendingOrganizations([row(1, 'Old')], [other]).map((v) => v.pending)).toEqual([false]);
  });
});
