import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../sync/outbox-entry.ts';
import { patientName, withPendingPatients, type PatientProfileRow, type PatientWithProfile } from './pending-patients.ts';

const ORG = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const profile = (n: number, givenName: string, managedBy: string | null = ORG): PatientProfileRow => ({
  id: uuid(500 + n),
  principalId: managedBy === null ? uuid(700 + n) : null,
  managedByOrganizationId: managedBy,
  givenName,
  familyName: 'Pop',
  birthDate: null,
  sex: null,
  email: null,
  phone: null,
  locale: 'ro',
  createdAt: 1,
  updatedAt: 1,
  createdBy: uuid(9),
  updatedBy: uuid(9),
});

const record = (n: number, givenName: string, createdAt: number, managedBy: string | null = ORG): PatientWithProfile => ({
  id: uuid(n),
  organizationId: ORG,
  patientProfileId: uuid(500 + n),
  principalId: null,
  status: 'active',
  externalRef: null,
  profileSharedAt: 1,
  createdAt,
  updatedAt: createdAt,
  createdBy: uuid(9),
  updatedBy: uuid(9),
  deletedAt: null,
  deletedBy: null,
  profile: profile(n, givenName, managedBy),
});

let clock = 1000;
const entry = (name: OutboxEntry['name'], args: Record<string, unknown>): OutboxEntry => {
  const writeId = uuid(900 + (clock % 100));
  return { writeId, name, args: { writeId, ...args }, createdAt: clock++ };
};

describe('withPendingPatients', () => {
  it('returns the synced records unchanged and not pending when nothing is queued', () => {
    const rows = [record(1, 'Ana', 20), record(2, 'Ion', 10)];
    expect(withPendingPatients(rows, [], ORG).map((v) => [patientName(v.profile), v.pending])).toEqual([['Ana Pop', false], ['Ion Pop', false]]);
  });

  it('shows a patient registered offline first (newest), active and pending, with the details typed', () => {
    const rows = [record(1, 'Ana', 20)];
    const created = entry('patient.create', { id: uuid(3), profileId: uuid(503), givenName: 'Maria', familyName: 'Ene', birthDate: Date.UTC(1990, 0, 1), externalRef: 'K-7' });
    const views = withPendingPatients(rows, [created], ORG);
    expect(views.map((v) => [patientName(v.profile), v.status, v.pending, v.externalRef])).toEqual([['Maria Ene', 'active', true, 'K-7'], ['Ana Pop', 'active', false, null]]);
    expect(views[0]?.profile).toMatchObject({ managedByOrganizationId: ORG, principalId: null, birthDate: Date.UTC(1990, 0, 1), locale: 'ro' });
  });

  it("lays an unconfirmed edit over the record, and the person's details only where the clinic holds them", () => {
    const rows = [record(1, 'Ana', 20), record(2, 'Ion', 10, null)];
    const views = withPendingPatients(rows, [
      entry('patient.update', { id: uuid(1), status: 'inactive', person: { givenName: 'Anca' } }),
      entry('patient.update', { id: uuid(2), externalRef: 'X-1', person: { givenName: 'Someone else' } }),
    ], ORG);
    expect(views.map((v) => [patientName(v.profile), v.status, v.externalRef, v.pending])).toEqual([
      ['Anca Pop', 'inactive', null, true],
      ['Ion Pop', 'active', 'X-1', true],
    ]);
  });

  it('removes a record deleted on this device at once, even before the server confirms', () => {
    const rows = [record(1, 'Ana', 20), record(2, 'Ion', 10)];
    expect(withPendingPatients(rows, [entry('patient.delete', { id: uuid(1) })], ORG).map((v) => v.id)).toEqual([uuid(2)]);
  });

  it('ignores entries it cannot read and those for records it does not have', () => {
    const rows = [record(1, 'Ana', 20)];
    const views = withPendingPatients(rows, [
      entry('patient.update', { id: uuid(4), status: 'inactive' }),
      entry('patient.create', { id: 'not-a-uuid' }),
      entry('location.create', { id: uuid(5), name: 'X', slug: 'x' }),
    ], OTHER);
    expect(views.map((v) => [v.id, v.pending])).toEqual([[uuid(1), false]]);
  });
});
