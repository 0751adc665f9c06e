import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { chooseLocale } from './detect-locale.ts';
import { formatsFor, INTL_LOCALES, type Formats } from './format.ts';
import { interpolate } from './interpolate.ts';
import { CATALOGS, type Locale, type MessageKey, type MessageParams } from './messages.ts';

export type Translate = <K extends MessageKey>(key: K, ...params: MessageParams<K>) => string;

type I18n = { locale: Locale; setLocale: (locale: Locale) => void; t: Translate; format: Formats };

const I18nContext = createContext<I18n | undefined>(undefined);

// One key for all three apps: a person who reads Romanian in the clinic app wants it in the others.
const CHOICE_KEY = 'restartix-locale';

function readChoice(): string | null {
  try {
    return localStorage.getItem(CHOICE_KEY);
  } catch {
    return null;
  }
}

export function I18nProvider({ humanLocale, children }: { humanLocale: string | undefined; children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => chooseLocale(readChoice(), humanLocale, navigator.languages));

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(CHOICE_KEY, next);
    } catch {
      // Storage can be unavailable (private mode, quota); the choice then lasts for this page only.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<I18n>(() => {
    const catalog = CATALOGS[locale];
    const tag = INTL_LOCALES[locale];
    const t: Translate = (key, ...params) => interpolate(catalog[key], params[0], tag);
    return { locale, setLocale, t, format: formatsFor(locale) };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (i18n === undefined) throw new Error('useT, useFormat and useLocale need an <I18nProvider> above them');
  return i18n;
}

export function useT(): Translate {
  return useI18n().t;
}

/** Numbers, amounts and dates in the active locale. */
export function useFormat(): Formats {
  return useI18n().format;
}

export function useLocale(): Pick<I18n, 'locale' | 'setLocale'> {
  const { locale, setLocale } = useI18n();
  return { locale, setLocale };
}
