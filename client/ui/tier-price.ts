/**
 * Tier prices are stored in minor units (bani, cents) of their ISO 4217 currency; people read and
 * type them in major units. How many digits a currency's minor unit has comes from Intl (RON 2, HUF 2,
 * JPY 0), so the same rule serves every currency a clinic may pick.
 */

/** The currencies a clinic picks from: Romania's and its neighbours', and the usual reference ones. */
export const TIER_CURRENCIES = ['RON', 'EUR', 'USD', 'GBP', 'CHF', 'HUF', 'MDL', 'BGN'] as const;

export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** 15050 RON → 150.5, for formatting. */
export function majorAmount(priceMinor: number, currency: string): number {
  return priceMinor / 10 ** minorDigits(currency);
}

/** What a price field shows to be edited: 15050 RON → "150.50". */
export function priceText(priceMinor: number, currency: string): string {
  return majorAmount(priceMinor, currency).toFixed(minorDigits(currency));
}

/**
 * What a person typed, in minor units; null when it is not a price. A comma or a point separates the
 * fraction (Romanian and English habits); thousands separators are not accepted, so "1.500" is never
 * read as one and a half.
 */
export function parsePrice(text: string, currency: string): number | null {
  const match = /^(\d{1,9})(?:[.,](\d+))?$/.exec(text.replace(/\s/g, ''));
  if (match === null) return null;
  const digits = minorDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}
