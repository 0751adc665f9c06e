import { en } from './en.ts';
import { ro } from './ro.ts';

export type MessageKey = keyof typeof en;

/** Every catalog has exactly the source catalog's keys: a missing or extra key fails `tsc`. */
export type Catalog = { readonly [K in MessageKey]: string };

export const LOCALES = ['en', 'ro'] as const;
export type Locale = (typeof LOCALES)[number];

export const CATALOGS: Record<Locale, Catalog> = { en, ro };

type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The parameters a message needs, read from its English text: none, or one value per `{name}`. */
export type MessageParams<K extends MessageKey> = [Placeholders<(typeof en)[K]>] extends [never]
  ? []
  : [params: Record<Placeholders<(typeof en)[K]>, string | number>];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
