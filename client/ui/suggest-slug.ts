const MAX_SLUG_LENGTH = 50;

/**
 * A slug that satisfies sync-rules' ZSlug, derived from a display name: "Clinica Ștefan cel Mare"
 * becomes "clinica-stefan-cel-mare". Diacritics are dropped rather than lost letters, so Romanian
 * names stay readable.
 */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{Mark}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
}
