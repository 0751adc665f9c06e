import { describe, expect, it } from 'vitest';
import { chooseLocale, detectLocale } from './detect-locale.ts';
import { en } from './en.ts';
import { formatsFor } from './format.ts';
import { interpolate, placeholdersOf, pluralsOf } from './interpolate.ts';
import type { MessageParams } from './messages.ts';
import { ro } from './ro.ts';

describe('interpolate', () => {
  it('fills every placeholder', () => {
    expect(interpolate('Close {name}? {name} has {count} rooms', { name: 'Cluj', count: 3 })).toBe('Close Cluj? Cluj has 3 rooms');
  });

  it('leaves unknown placeholders visible', () => {
    expect(interpolate('Hello {who}', {})).toBe('Hello {who}');
    expect(interpolate('{n, plural, one {# day} other {# days}} left', {})).toBe('{n, plural, one {# day} other {# days}} left');
  });

  it('formats numbers for the locale', () => {
    expect(interpolate('{n} rows', { n: 1234567.5 }, 'en-GB')).toBe('1,234,567.5 rows');
    expect(interpolate('{n} rânduri', { n: 1234567.5 }, 'ro-RO')).toBe('1.234.567,5 rânduri');
  });

  it('lists placeholders sorted, plural arguments included', () => {
    expect(placeholdersOf('{b} and {a}')).toEqual(['a', 'b']);
    expect(placeholdersOf('{name}: {count, plural, one {# change} other {# changes}}')).toEqual(['count', 'name']);
  });
});

describe('plural messages', () => {
  const rooms = '{count, plural, =0 {no rooms} one {# room} other {# rooms}} in {city}';
  const camere = '{count, plural, =0 {nicio cameră} one {# cameră} few {# camere} other {# de camere}} în {city}';

  it('pick the English branch: one, other, or an exact match', () => {
    expect(interpolate(rooms, { count: 0, city: 'Cluj' }, 'en-GB')).toBe('no rooms in Cluj');
    expect(interpolate(rooms, { count: 1, city: 'Cluj' }, 'en-GB')).toBe('1 room in Cluj');
    expect(interpolate(rooms, { count: 2, city: 'Cluj' }, 'en-GB')).toBe('2 rooms in Cluj');
    expect(interpolate(rooms, { count: 1500, city: 'Cluj' }, 'en-GB')).toBe('1,500 rooms in Cluj');
  });

  it('pick the Romanian branch: one, few (2–19, and 0), other (20 and up, with "de")', () => {
    expect(interpolate(camere, { count: 1, city: 'Iași' }, 'ro-RO')).toBe('1 cameră în Iași');
    expect(interpolate(camere, { count: 5, city: 'Iași' }, 'ro-RO')).toBe('5 camere în Iași');
    expect(interpolate(camere, { count: 19, city: 'Iași' }, 'ro-RO')).toBe('19 camere în Iași');
    expect(interpolate(camere, { count: 20, city: 'Iași' }, 'ro-RO')).toBe('20 de camere în Iași');
    expect(interpolate(camere, { count: 101, city: 'Iași' }, 'ro-RO')).toBe('101 camere în Iași');
    expect(interpolate(camere, { count: 0, city: 'Iași' }, 'ro-RO')).toBe('nicio cameră în Iași');
  });

  it('are used by the catalogs where the apps show counts', () => {
    expect(interpolate(en['header.pending'], { count: 1 }, 'en-GB')).toBe('1 unconfirmed change');
    expect(interpolate(en['header.pending'], { count: 3 }, 'en-GB')).toBe('3 unconfirmed changes');
    expect(interpolate(ro['header.pending'], { count: 1 }, 'ro-RO')).toBe('1 modificare neconfirmată');
    expect(interpolate(ro['header.pending'], { count: 3 }, 'ro-RO')).toBe('3 modificări neconfirmate');
    expect(interpolate(ro['header.pending'], { count: 25 }, 'ro-RO')).toBe('25 de modificări neconfirmate');
    expect(interpolate(ro['validation.tooLong'], { max: 200 }, 'ro-RO')).toBe('Folosește cel mult 200 de caractere.');
  });

  it('take a number for a count, checked by the compiler', () => {
    const counted: MessageParams<'header.pending'> = [{ count: 2 }];
    // @ts-expect-error a plural argument is a number
    const worded: MessageParams<'header.pending'> = [{ count: 'two' }];
    // @ts-expect-error and it is required
    const missing: MessageParams<'validation.tooLong'> = [{}];
    const named: MessageParams<'locations.closeTitle'> = [{ name: 'Cluj' }];
    expect([counted, worded, missing, named].length).toBe(4);
  });

  it('are found with their branches', () => {
    expect(pluralsOf(camere)).toEqual([{ name: 'count', branches: ['=0', 'one', 'few', 'other'] }]);
    expect(pluralsOf('{name}')).toEqual([]);
  });
});

describe('formats', () => {
  const at = '2026-03-02T12:05:00Z';
  // Intl separates with no-break spaces; what matters here is where.
  const plain = (text: string) => text.replace(/\s/g, ' ');

  it('write numbers and amounts per locale', () => {
    expect(formatsFor('en').number(1234.5)).toBe('1,234.5');
    expect(plain(formatsFor('ro').number(1234.5))).toBe('1.234,5');
    expect(plain(formatsFor('en').currency(1234.5, 'RON'))).toBe('RON 1,234.50');
    expect(plain(formatsFor('ro').currency(1234.5, 'RON'))).toBe('1.234,50 RON');
    expect(plain(formatsFor('ro').currency(80, 'EUR'))).toBe('80,00 EUR');
  });

  it('write dates per locale, day before month in both', () => {
    expect(formatsFor('en', 'Europe/Bucharest').date(at)).toBe('2 Mar 2026');
    expect(formatsFor('ro', 'Europe/Bucharest').date(at)).toBe('2 mar. 2026');
    expect(formatsFor('en', 'Europe/Bucharest').longDate(at)).toBe('2 March 2026');
    expect(formatsFor('ro', 'Europe/Bucharest').longDate(at)).toBe('2 martie 2026');
    expect(plain(formatsFor('en', 'Europe/Bucharest').dateTime(new Date(at)))).toBe('2 Mar 2026, 14:05');
    expect(plain(formatsFor('ro', 'Europe/Bucharest').dateTime(Date.parse(at)))).toBe('2 mar. 2026, 14:05');
  });
});

describe('locale choice', () => {
  it('takes the first supported browser language', () => {
    expect(detectLocale(['de-DE', 'ro-RO', 'en'])).toBe('ro');
    expect(detectLocale(['fr'])).toBe('en');
  });

  it('prefers an explicit choice, then the person, then the browser', () => {
    expect(chooseLocale('en', 'ro', ['ro'])).toBe('en');
    expect(chooseLocale(null, 'ro', ['en'])).toBe('ro');
    expect(chooseLocale(null, undefined, ['ro-RO'])).toBe('ro');
    expect(chooseLocale('xx', 'yy', [])).toBe('en');
  });
});
