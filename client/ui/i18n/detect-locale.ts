import { isLocale, type Locale } from './messages.ts';

/** The first of the browser's preferred languages that we have a catalog for; English otherwise. */
export function detectLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split('-')[0];
    if (isLocale(language)) return language;
  }
  return 'en';
}

/** An explicit choice wins, then the signed-in person's locale, then the browser. */
export function chooseLocale(choice: unknown, humanLocale: unknown, preferred: readonly string[]): Locale {
  if (isLocale(choice)) return choice;
  if (isLocale(humanLocale)) return humanLocale;
  return detectLocale(preferred);
}
