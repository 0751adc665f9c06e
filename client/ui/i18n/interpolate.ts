/**
 * Messages are plain text with two kinds of argument, a subset of ICU MessageFormat:
 * - `{name}`: the value; numbers are formatted for the locale (1 234,5 in Romanian);
 * - `{count, plural, one {# change} few {# changes} other {# de changes}}`: the branch that
 *   Intl.PluralRules picks for the locale (English has one/other, Romanian one/few/other), or an
 *   exact `=0 {…}` branch; `#` inside it is the count, formatted.
 */

type Params = Readonly<Record<string, string | number>>;

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function rulesFor(locale: string): Intl.PluralRules {
  let rules = pluralRules.get(locale);
  if (rules === undefined) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules;
}

function formatNumber(value: number, locale: string): string {
  let format = numberFormats.get(locale);
  if (format === undefined) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format.format(value);
}

/** The index of the `}` that closes the `{` at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}' && (depth -= 1) === 0) return i;
  }
  return -1;
}

const PLURAL = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/;
const SIMPLE = /^\s*(\w+)\s*$/;

/** The branches of a plural argument: `one {…} other {…}` → { one: '…', other: '…' }. */
export function pluralBranches(body: string): Record<string, string> {
  const branches: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const open = body.indexOf('{', i);
    if (open === -1) break;
    const close = closing(body, open);
    if (close === -1) break;
    branches[body.slice(i, open).trim()] = body.slice(open + 1, close);
    i = close + 1;
  }
  return branches;
}

function render(template: string, params: Params, locale: string, count: number | undefined): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const char = template[i] ?? '';
    if (char === '#' && count !== undefined) {
      out += formatNumber(count, locale);
      i += 1;
      continue;
    }
    if (char !== '{') {
      out += char;
      i += 1;
      continue;
    }
    const close = closing(template, i);
    if (close === -1) return out + template.slice(i);
    const inner = template.slice(i + 1, close);
    const plural = PLURAL.exec(inner);
    const simple = SIMPLE.exec(inner);
    if (plural !== null) {
      const value = params[plural[1] ?? ''];
      const branches = pluralBranches(plural[2] ?? '');
      const n = typeof value === 'number' ? value : Number(value);
      const branch = value === undefined || Number.isNaN(n) ? undefined : (branches[`=${String(n)}`] ?? branches[rulesFor(locale).select(n)] ?? branches.other);
      // A missing count stays visible rather than vanishing.
      out += branch === undefined ? template.slice(i, close + 1) : render(branch, params, locale, n);
    } else if (simple !== null) {
      const value = params[simple[1] ?? ''];
      out += value === undefined ? template.slice(i, close + 1) : typeof value === 'number' ? formatNumber(value, locale) : value;
    } else {
      out += template.slice(i, close + 1);
    }
    i = close + 1;
  }
  return out;
}

/** Fills a message's arguments for `locale`; an unknown argument stays visible rather than vanishing. */
export function interpolate(template: string, params: Params = {}, locale = 'en'): string {
  return render(template, params, locale, undefined);
}

/** The names of a message's arguments, sorted: `{name}` and `{count, plural, …}` alike. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\s*(\w+)\s*(?:\}|,\s*plural\s*,)/g)].map((match) => match[1] ?? ''))].sort();
}

/** Each plural argument of a message with the branches it offers, for checking a catalog's locale. */
export function pluralsOf(template: string): { name: string; branches: string[] }[] {
  const found: { name: string; branches: string[] }[] = [];
  for (let i = template.indexOf('{'); i !== -1; i = template.indexOf('{', i + 1)) {
    const close = closing(template, i);
    if (close === -1) break;
    const plural = PLURAL.exec(template.slice(i + 1, close));
    if (plural !== null) found.push({ name: plural[1] ?? '', branches: Object.keys(pluralBranches(plural[2] ?? '')) });
  }
  return found;
}
