import type { MailLocale } from '../categories.ts';

type Forms = { one: string; few: string };

/**
 * A count with its noun, grammatical in both languages. Romanian puts "de" before the noun from 20
 * on (except 101-119, 201-219, …): "1 minut", "15 minute", "30 de minute". Intl's plural rules for
 * `ro` draw exactly that line (one / few / other).
 */
function count(locale: MailLocale, n: number, forms: Record<MailLocale, Forms>): string {
  const { one, few } = forms[locale];
  if (locale === 'en') return n === 1 ? `1 ${one}` : `${String(n)} ${few}`;
  const rule = new Intl.PluralRules('ro').select(n);
  if (rule === 'one') return `${String(n)} ${one}`;
  return rule === 'few' ? `${String(n)} ${few}` : `${String(n)} de ${few}`;
}

export function minutes(locale: MailLocale, n: number): string {
  return count(locale, n, { ro: { one: 'minut', few: 'minute' }, en: { one: 'minute', few: 'minutes' } });
}

export function days(locale: MailLocale, n: number): string {
  return count(locale, n, { ro: { one: 'zi', few: 'zile' }, en: { one: 'day', few: 'days' } });
}

/** A moment, in Romania's time zone (where the clinics are), with the zone's name. */
export function moment(locale: MailLocale, at: Date): string {
  return new Intl.DateTimeFormat(locale === 'ro' ? 'ro-RO' : 'en-GB', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Bucharest',
    timeZoneName: 'short',
  }).format(at);
}
