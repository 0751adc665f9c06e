import type { PatientSex } from '../../sync-rules/schema.ts';
import { problemMessage, type FieldProblem } from './field-problems.ts';
import type { Translate } from './i18n/i18n-provider.tsx';

/**
 * A person's details (patient_profiles) as the Clinic's patient form and the Portal's profile page
 * edit them: the form holds text, the mutators take typed values.
 */

export type PersonLocale = 'ro' | 'en';

/** What the inputs hold. `birthDate` is the date input's `YYYY-MM-DD` (or empty). */
export type PersonForm = {
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: PatientSex | '';
  email: string;
  phone: string;
  locale: PersonLocale;
};

export const PERSON_FIELDS = ['givenName', 'familyName', 'birthDate', 'sex', 'email', 'phone', 'locale'] as const satisfies readonly (keyof PersonForm)[];

/** What patient.create, patient.update's `person` and profile.update take. */
export type PersonValues = {
  givenName: string;
  familyName: string;
  /** Epoch ms of the day's UTC midnight: Zero's form of a SQL date. */
  birthDate: number | null;
  sex: PatientSex | null;
  email: string | null;
  phone: string | null;
  locale: PersonLocale;
};

/** The profile columns a form starts from. */
export type PersonRecord = {
  givenName: string;
  familyName: string;
  birthDate: number | null;
  sex: PatientSex | null;
  email: string | null;
  phone: string | null;
  locale: PersonLocale;
};

export const EMPTY_PERSON: PersonForm = { givenName: '', familyName: '', birthDate: '', sex: '', email: '', phone: '', locale: 'ro' };

const DATE_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date input's value as the UTC midnight of that day: a birth date has no time zone, so it must
 * not move a day for someone east or west of Greenwich. Not a real day: NaN, which the schema refuses.
 */
export function birthDateFromInput(value: string): number | null {
  if (value === '') return null;
  const match = DATE_INPUT.exec(value);
  if (match === null) return Number.NaN;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 30 February over into March; that is not the day typed.
  return new Date(ms).getUTCDate() === day ? ms : Number.NaN;
}

export function birthDateToInput(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString().slice(0, 10);
}

/** A birth date for reading, in the UTC day it names (not shifted by the device's zone). */
export function birthDateText(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(ms);
}

const optional = (value: string): string | null => (value.trim() === '' ? null : value.trim());

export function personValues(form: PersonForm): PersonValues {
  return {
    givenName: form.givenName,
    familyName: form.familyName,
    birthDate: birthDateFromInput(form.birthDate),
    sex: form.sex === '' ? null : form.sex,
    email: optional(form.email),
    phone: optional(form.phone),
    locale: form.locale,
  };
}

export function personForm(record: PersonRecord): PersonForm {
  return {
    givenName: record.givenName,
    familyName: record.familyName,
    birthDate: birthDateToInput(record.birthDate),
    sex: record.sex ?? '',
    email: record.email ?? '',
    phone: record.phone ?? '',
    locale: record.locale,
  };
}

/**
 * Only what changed, so that an edit records (and sends) just that; names are compared as the
 * server stores them, trimmed.
 */
export function changedPersonValues(before: PersonRecord, after: PersonValues): Partial<PersonValues> {
  const changes: Partial<Record<keyof PersonValues, unknown>> = {};
  for (const field of PERSON_FIELDS) {
    const was = before[field];
    const now = after[field];
    const same = typeof was === 'string' && typeof now === 'string' ? was.trim() === now.trim() : was === now;
    if (!same) changes[field] = now;
  }
  return changes as Partial<PersonValues>;
}

/** The message for one field's problem; the phone's pattern and the birth date have their own words. */
export function personProblemMessage(t: Translate, field: string, problem: FieldProblem): string {
  if (field === 'phone' && problem.kind === 'slug') return t('patients.phoneInvalid');
  if (field === 'birthDate' && problem.kind === 'invalid') return t('patients.birthDateInvalid');
  return problemMessage(t, problem);
}

/** Lower case, without diacritics: "Ștefan" is found by "stefan". */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Whether every word of the query starts a word of the text (names in any order, partly typed). */
export function matchesSearch(text: string, query: string): boolean {
  const wanted = folded(query).split(/\s+/).filter((word) => word !== '');
  if (wanted.length === 0) return true;
  const words = folded(text).split(/[\s-]+/);
  return wanted.every((part) => words.some((word) => word.startsWith(part)));
}
