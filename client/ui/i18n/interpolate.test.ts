import { describe, expect, it } from 'vitest';
import { chooseLocale, detectLocale } from './detect-locale.ts';
import { interpolate, placeholdersOf } from './interpolate.ts';

describe('interpolate', () => {
  it('fills every placeholder', () => {
    expect(interpolate('Close {name}? {name} has {count} rooms', { name: 'Cluj', count: 3 })).toBe('Close Cluj? Cluj has 3 rooms');
  });

  it('leaves unknown placeholders visible', () => {
    expect(interpolate('Hello {who}', {})).toBe('Hello {who}');
  });

  it('lists placeholders sorted', () => {
    expect(placeholdersOf('{b} and {a}')).toEqual(['a', 'b']);
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
