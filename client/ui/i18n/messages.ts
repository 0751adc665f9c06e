import { en } from './en.ts';
import { ro } from './ro.ts';

export type MessageKey = keyof typeof en;

/** Every catalog has exactly the source catalog's keys: a missing or extra key fails `tsc`. */
export type Catalog = { readonly [K in MessageKey]: string };

export const LOCALES = ['en', 'ro'] as const;
export type Locale = (typeof LOCALES)[number];

export const CATALOGS: Record<Locale, Catalog> = { en, ro };

/** What follows each `{` of a message. */
type AfterBraces<S extends string> = S extends `${string}{${infer Rest}` ? Rest | AfterBraces<Rest> : never;
/** An argument name: no spaces, no `#`, no braces (those are a plural's branches). */
type Name<N extends string> = N extends '' | `${string}${' ' | '#' | ',' | '{' | '}' | '='}${string}` ? never : N;
/** `{name}` and `{name, plural, …}` → name. */
type ArgumentOf<A extends string> = A extends `${infer Head}}${string}` ? (Head extends `${infer N}, plural,${string}` ? Name<N> : Name<Head>) : never;
type PluralOf<A extends string> = A extends `${infer Head}}${string}` ? (Head extends `${infer N}, plural,${string}` ? Name<N> : never) : never;

type Arguments<S extends string> = ArgumentOf<AfterBraces<S>>;
type Counts<S extends string> = PluralOf<AfterBraces<S>>;

/**
 * The parameters a message needs, read from its English text: none, or one value per argument; a
 * plural argument (`{count, plural, one {…} other {…}}`) takes a number.
 */
export type MessageParams<K extends MessageKey> = [Arguments<(typeof en)[K]>] extends [never]
  ? []
  : [params: Record<Exclude<Arguments<(typeof en)[K]>, Counts<(typeof en)[K]>>, string | number> & Record<Counts<(typeof en)[K]>, number>];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
