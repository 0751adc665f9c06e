import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../sync-rules/errors.ts';
import { en } from './en.ts';
import { INTL_LOCALES } from './format.ts';
import { placeholdersOf, pluralsOf } from './interpolate.ts';
import { CATALOGS, LOCALES } from './messages.ts';
import { ro } from './ro.ts';

const ROMANIAN_CEDILLA_LOOKALIKES = /[şţŞŢ]/;

describe('message catalogs', () => {
  it('have the same keys in every locale', () => {
    const keys = Object.keys(en).sort();
    for (const locale of LOCALES) expect(Object.keys(CATALOGS[locale]).sort()).toEqual(keys);
  });

  it('use the same placeholders in every locale', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      for (const locale of LOCALES) {
        expect({ key, locale, placeholders: placeholdersOf(CATALOGS[locale][key]) }).toEqual({
          key,
          locale,
          placeholders: placeholdersOf(en[key]),
        });
      }
    }
  });

  it('give every plural message each plural form of its locale', () => {
    for (const locale of LOCALES) {
      const forms = new Intl.PluralRules(INTL_LOCALES[locale]).resolvedOptions().pluralCategories;
      for (const [key, message] of Object.entries(CATALOGS[locale])) {
        for (const plural of pluralsOf(message)) {
          expect({ key, locale, argument: plural.name, missing: forms.filter((form) => !plural.branches.includes(form)) }).toEqual({ key, locale, argument: plural.name, missing: [] });
        }
      }
    }
  });

  it('have no empty message', () => {
    for (const locale of LOCALES) {
      for (const [key, message] of Object.entries(CATALOGS[locale])) expect({ key, empty: message.trim() === '' }).toEqual({ key, empty: false });
    }
  });

  it('translate every error code', () => {
    for (const code of ERROR_CODES) {
      expect(en[`error.${code}`]).toBeTruthy();
      expect(ro[`error.${code}`]).toBeTruthy();
    }
  });

  it('write Romanian with comma-below ș and ț, not the cedilla look-alikes', () => {
    for (const [key, message] of Object.entries(ro)) expect({ key, cedilla: ROMANIAN_CEDILLA_LOOKALIKES.test(message) }).toEqual({ key, cedilla: false });
  });
});
