import type { Locale } from './messages.ts';

/**
 * The Intl locale behind each catalog. English is written for European clinics: day before month,
 * a 24-hour clock (en-GB); Romanian as in Romania.
 */
export const INTL_LOCALES: Record<Locale, string> = { en: 'en-GB', ro: 'ro-RO' };

export type Formats = {
  /** 1,234.5 · 1.234,5 */
  number: (value: number, options?: Intl.NumberFormatOptions) => string;
  /** 1,234.50 RON · 1.234,50 RON; `currency` is an ISO 4217 code. */
  currency: (amount: number, currency: string) => string;
  /** 2 Mar 2026 · 2 mar. 2026 */
  date: (value: Date | string | number) => string;
  /** 2 March 2026 · 2 martie 2026 */
  longDate: (value: Date | string | number) => string;
  /** 2 Mar 2026, 14:05 · 2 mar. 2026, 14:05 */
  dateTime: (value: Date | string | number) => string;
};

const toDate = (value: Date | string | number): Date => (value instanceof Date ? value : new Date(value));

/** Number, currency and date formatting for one locale, on top of Intl; build once per locale. */
export function formatsFor(locale: Locale, timeZone?: string): Formats {
  const tag = INTL_LOCALES[locale];
  const zone = timeZone === undefined ? {} : { timeZone };
  const numbers = new Intl.NumberFormat(tag);
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', ...zone });
  const longDate = new Intl.DateTimeFormat(tag, { dateStyle: 'long', ...zone });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', ...zone });
  const currencies = new Map<string, Intl.NumberFormat>();
  return {
    number: (value, options) => (options === undefined ? numbers : new Intl.NumberFormat(tag, options)).format(value),
    currency: (amount, currency) => {
      let format = currencies.get(currency);
      if (format === undefined) currencies.set(currency, (format = new Intl.NumberFormat(tag, { style: 'currency', currency })));
      return format.format(amount);
    },
    date: (value) => date.format(toDate(value)),
    longDate: (value) => longDate.format(toDate(value)),
    dateTime: (value) => dateTime.format(toDate(value)),
  };
}
