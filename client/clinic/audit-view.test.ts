import { describe, expect, it } from 'vitest';
import { fieldChanges, isRedacted } from './audit-changes.ts';
import { auditQuery, NO_FILTERS, rangeIsBackwards } from './audit-filters.ts';

describe('the viewer\'s filters', () => {
  it('send only what was chosen, and whole days where the person is, the last one included', () => {
    expect(auditQuery(NO_FILTERS)).toEqual({});
    const query = auditQuery({ ...NO_FILTERS, actor: 'p1', action: 'location.updated', entityId: '  loc-1 ', fromDay: '2026-11-02', toDay: '2026-11-03' });
    expect(query).toMatchObject({ actor: 'p1', action: 'location.updated', entityId: 'loc-1' });
    expect(query.from).toBe(new Date(2026, 10, 2).toISOString());
    expect(query.to).toBe(new Date(2026, 10, 4).toISOString());
    expect(auditQuery({ ...NO_FILTERS, fromDay: 'yesterday' })).toEqual({});
  });

  it('notice a range that ends before it starts', () => {
    expect(rangeIsBackwards({ ...NO_FILTERS, fromDay: '2026-11-05', toDay: '2026-11-01' })).toBe(true);
    expect(rangeIsBackwards({ ...NO_FILTERS, fromDay: '2026-11-05', toDay: '2026-11-05' })).toBe(false);
    expect(rangeIsBackwards({ ...NO_FILTERS, fromDay: '2026-11-05' })).toBe(false);
  });
});

describe('what an entry changed', () => {
  it('lists the diff\'s fields without bookkeeping, and what was asked for when there is no diff', () => {
    expect(fieldChanges({ diff: { before: { name: 'Centru', updated_at: 'x' }, after: { name: 'Nord', updated_at: 'y' } }, changes: {} }))
      .toEqual([{ field: 'name', before: 'Centru', after: 'Nord' }]);
    expect(fieldChanges({ diff: { before: null, after: { id: 'l1', name: 'Nou', status: 'active' } }, changes: {} }))
      .toEqual([{ field: 'name', before: null, after: 'Nou' }, { field: 'status', before: null, after: 'active' }]);
    expect(fieldChanges({ diff: null, changes: { id: 'x', email: '[personal]', permissions: ['a'] } }))
      .toEqual([{ field: 'email', before: null, after: '[personal]' }, { field: 'permissions', before: null, after: '["a"]' }]);
    expect(isRedacted('[personal]')).toBe(true);
    expect(isRedacted('personal')).toBe(false);
  });
});
