import type { Row } from '@rocicorp/zero';
import { ZCreatePatient, ZDeletePatient, ZUpdatePatient } from '../../sync-rules/mutators/patients.ts';
import type { Schema } from '../../sync-rules/schema.ts';
import type { OutboxEntry } from '../sync/outbox-entry.ts';

export type PatientRow = Row<Schema['tables']['patients']>;
export type PatientProfileRow = Row<Schema['tables']['patient_profiles']>;
/** A record as queries.clinic.patients gives it: the profile is missing until the person shares it. */
export type PatientWithProfile = PatientRow & { readonly profile?: PatientProfileRow | undefined };
export type PatientView = PatientRow & { profile: PatientProfileRow | undefined; pending: boolean };

/**
 * The synced records with this device's unconfirmed patient writes laid over them, as
 * withPendingWrites does for locations: a patient registered, edited or deleted while Zero was
 * disconnected shows at once (a deletion removes the record), marked pending until confirmed.
 */
export function withPendingPatients(rows: readonly PatientWithProfile[], entries: readonly OutboxEntry[], organizationId: string): PatientView[] {
  const byId = new Map<string, PatientView>(rows.map((row) => [row.id, { ...row, profile: row.profile, pending: false }]));
  let added = false;
  for (const entry of entries) {
    switch (entry.name) {
      case 'patient.create': {
        const parsed = ZCreatePatient.safeParse(entry.args);
        if (!parsed.success) break;
        const { id, profileId, externalRef, writeId: _writeId, ...person } = parsed.data;
        const existing = byId.get(id);
        if (existing !== undefined) {
          byId.set(id, { ...existing, pending: true });
          break;
        }
        added = true;
        const stamp = { createdAt: entry.createdAt, updatedAt: entry.createdAt, createdBy: '', updatedBy: '' };
        byId.set(id, {
          id,
          organizationId,
          patientProfileId: profileId,
          principalId: null,
          status: 'active',
          externalRef,
          profileSharedAt: entry.createdAt,
          deletedAt: null,
          deletedBy: null,
          ...stamp,
          profile: { id: profileId, principalId: null, managedByOrganizationId: organizationId, ...person, ...stamp },
          pending: true,
        });
        break;
      }
      case 'patient.update': {
        const parsed = ZUpdatePatient.safeParse(entry.args);
        const existing = parsed.success ? byId.get(parsed.data.id) : undefined;
        if (!parsed.success || existing === undefined) break;
        const { status, externalRef, person } = parsed.data;
        // Mirrors the shared mutator: only a profile this clinic manages takes the clinic's edits.
        const profile = existing.profile !== undefined && person !== undefined && existing.profile.managedByOrganizationId === organizationId
          ? { ...existing.profile, ...definedOnly(person) }
          : existing.profile;
        byId.set(existing.id, {
          ...existing,
          ...(status === undefined ? {} : { status }),
          ...(externalRef === undefined ? {} : { externalRef }),
          profile,
          pending: true,
        });
        break;
      }
      case 'patient.delete': {
        const parsed = ZDeletePatient.safeParse(entry.args);
        if (parsed.success) byId.delete(parsed.data.id);
        break;
      }
      default:
        break;
    }
  }
  const views = [...byId.values()];
  // Same order as queries.clinic.patients (newest first, then id); only needed when rows were added.
  return added ? views.sort((a, b) => (a.createdAt === b.createdAt ? compare(a.id, b.id) : b.createdAt - a.createdAt)) : views;
}

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

function definedOnly<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Defined<T>;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The person's name as the clinic reads it; null while the person has not shared their profile. */
export function patientName(profile: Pick<PatientProfileRow, 'givenName' | 'familyName'> | undefined): string | null {
  return profile === undefined ? null : `${profile.givenName} ${profile.familyName}`;
}
