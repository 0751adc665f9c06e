import { describe, expect, it } from 'vitest';
import { ZCreatePatient } from '../../sync-rules/mutators/patients.ts';
import { fieldProblems } from './field-problems.ts';
import { en } from './i18n/en.ts';
import type { Translate } from './i18n/i18n-provider.tsx';
import {
  birthDateFromInput,
  birthDateText,
  birthDateToInput,
  changedPersonValues,
  EMPTY_PERSON,
  matchesSearch,
  personForm,
  personProblemMessage,
  personValues,
  type PersonRecord,
} from './person-details.ts';

const t = ((key: keyof typeof en) => en[key]) as unknown as Translate;

const stored: PersonRecord = {
  givenName: 'Ana',
  familyName: 'Pop',
  birthDate: Date.UTC(1980, 1, 29),
  sex: 'female',
  email: 'ana@example.test',
  phone: null,
  locale: 'ro',
};

describe('birth dates', () => {
  it('are the UTC midnight of the day typed, and read back as that day', () => {
    expect(birthDateFromInput('1980-02-29')).toBe(Date.UTC(1980, 1, 29));
    expect(birthDateToInput(Date.UTC(1980, 1, 29))).toBe('1980-02-29');
    expect(birthDateFromInput('')).toBeNull();
    expect(birthDateToInput(null)).toBe('');
  });

  it('refuse a day that does not exist instead of rolling it over', () => {
    expect(birthDateFromInput('1981-02-29')).toBeNaN();
    expect(birthDateFromInput('29.02.1980')).toBeNaN();
  });

  it('are shown as the day they name, whatever the device zone', () => {
    expect(birthDateText(Date.UTC(1980, 1, 29), 'en-GB')).toBe('29 February 1980');
  });
});

describe('a person form', () => {
  it('sends empty optional fields as null and round-trips a stored profile', () => {
    expect(personValues({ ...EMPTY_PERSON, givenName: 'Ion', familyName: 'Ene', email: '  ' })).toEqual({
      givenName: 'Ion', familyName: 'Ene', birthDate: null, sex: null, email: null, phone: null, locale: 'ro',
    });
    expect(personValues(personForm(stored))).toEqual(stored);
  });

  it('changes only what was edited (names compared as stored, trimmed)', () => {
    const edited = personValues({ ...personForm(stored), givenName: ' Ana ', phone: '+40 721 000 000', sex: '' });
    expect(changedPersonValues(stored, edited)).toEqual({ phone: '+40 721 000 000', sex: null });
    expect(changedPersonValues(stored, personValues(personForm(stored)))).toEqual({});
  });

  it("explains each field's problem in its own words", () => {
    const parsed = ZCreatePatient.safeParse({
      writeId: crypto.randomUUID(), id: crypto.randomUUID(), profileId: crypto.randomUUID(),
      ...personValues({ ...EMPTY_PERSON, givenName: '', familyName: 'Ene', birthDate: '2999-01-01', email: 'no', phone: 'abc' }),
    });
    expect(parsed.success).toBe(false);
    const problems = fieldProblems(parsed.error?.issues ?? [], ['givenName', 'familyName', 'birthDate', 'email', 'phone']);
    const messages = Object.fromEntries(Object.entries(problems).map(([field, problem]) => [field, problem === undefined ? '' : personProblemMessage(t, field, problem)]));
    expect(messages).toEqual({
      givenName: en['validation.required'],
      birthDate: en['patients.birthDateInvalid'],
      email: en['validation.email'],
      phone: en['patients.phoneInvalid'],
    });
  });
});

describe('matchesSearch', () => {
  it('finds names by the start of any word, in any order, without diacritics or case', () => {
    expect(matchesSearch('Ștefan Constantinescu', 'stefan')).toBe(true);
    expect(matchesSearch('Ștefan Constantinescu', 'const ȘT')).toBe(true);
    expect(matchesSearch('Ana-Maria Pop', 'maria')).toBe(true);
    expect(matchesSearch('Ștefan Constantinescu', 'tefan')).toBe(false);
    expect(matchesSearch('Ștefan Constantinescu', 'stefan pop')).toBe(false);
    expect(matchesSearch('Anyone', '   ')).toBe(true);
  });
});
