import { describe, expect, it } from 'vitest';
import { DATA_CLASSES } from '../../db/data-classes.ts';
import { auditDiff, ENTITY_TABLES, redactRecord } from './redact.ts';

describe('what an audit entry keeps of a row', () => {
  it('replaces personal and secret values by their class, whether spelled as the column or as the API does', () => {
    expect(redactRecord('invitation', { email: 'ana@clinic.test', kind: 'member', role: 'staff', name: 'Ana Pop' }))
      .toEqual({ email: '[personal]', kind: 'member', role: 'staff', name: '[personal]' });
    // A patient write carries the person's details (patient_profiles), flat or grouped.
    expect(redactRecord('patient', { givenName: 'Ana', status: 'active', person: { familyName: 'Pop', locale: 'ro' } }))
      .toEqual({ givenName: '[personal]', status: 'active', person: { familyName: '[personal]', locale: 'ro' } });
    expect(redactRecord('api_key', { secretHash: 'deadbeef', prefix: 'rx_test_ab12' })).toEqual({ secretHash: '[secret]', prefix: 'rx_test_ab12' });
    expect(redactRecord('human', { name: 'Radu', locale: 'ro' })).toEqual({ name: '[personal]', locale: 'ro' });
    // Public data of a clinic stays as it is; a null is not a value to hide.
    expect(redactRecord('location', { name: 'Centru', city: 'Iași' })).toEqual({ name: 'Centru', city: 'Iași' });
    expect(redactRecord('invitation', { email: null })).toEqual({ email: null });
  });

  it('knows the table of every entity it is asked about', () => {
    for (const table of Object.values(ENTITY_TABLES)) expect(DATA_CLASSES[table], table).toBeDefined();
  });
});

describe('the before/after diff', () => {
  it('keeps only the fields that changed, each side redacted', () => {
    const before = { id: 'm1', principal_id: 'p1', role: 'staff', updated_at: '2026-11-01T10:00:00Z' };
    const after = { id: 'm1', principal_id: 'p1', role: 'admin', updated_at: '2026-11-02T10:00:00Z' };
    expect(auditDiff('membership', before, after)).toEqual({
      before: { role: 'staff', updated_at: '2026-11-01T10:00:00Z' },
      after: { role: 'admin', updated_at: '2026-11-02T10:00:00Z' },
    });
    expect(auditDiff('human', { name: 'Ana', locale: 'ro' }, { name: 'Ana Maria', locale: 'ro' })).toEqual({
      before: { name: '[personal]' },
      after: { name: '[personal]' },
    });
  });

  it('records a created row with no before and a deleted row with no after, and nothing when nothing changed', () => {
    expect(auditDiff('location', null, { id: 'l1', name: 'Nou' })).toEqual({ before: null, after: { id: 'l1', name: 'Nou' } });
    expect(auditDiff('invitation', { id: 'i1', email: 'x@y.test' }, null)).toEqual({ before: { id: 'i1', email: '[personal]' }, after: null });
    expect(auditDiff('location', { name: 'Same' }, { name: 'Same' })).toBeNull();
    expect(auditDiff('location', null, null)).toBeNull();
  });
});
