import { describe, expect, it } from 'vitest';
import { ZSlug } from '../../sync-rules/validation.ts';
import { suggestSlug } from './suggest-slug.ts';

describe('suggestSlug', () => {
  it('lowercases and joins words with dashes', () => {
    expect(suggestSlug('Main Clinic')).toBe('main-clinic');
  });

  it('drops Romanian diacritics, comma-below and cedilla forms alike', () => {
    expect(suggestSlug('Clinica Ștefan cel Mare, Timișoara')).toBe('clinica-stefan-cel-mare-timisoara');
    expect(suggestSlug('Şcoala Ţiglina — Brăila, Râmnic, Însurăței')).toBe('scoala-tiglina-braila-ramnic-insuratei');
  });

  it('trims separators at both ends', () => {
    expect(suggestSlug('  --Sala #2!  ')).toBe('sala-2');
  });

  it('keeps at most 50 characters and never ends with a dash', () => {
    const slug = suggestSlug(`${'a'.repeat(49)} b`);
    expect(slug).toBe('a'.repeat(49));
    expect(suggestSlug('x'.repeat(80))).toHaveLength(50);
  });

  it('gives an empty string when nothing usable is left', () => {
    expect(suggestSlug('—!')).toBe('');
  });

  it('always satisfies the shared slug schema when not empty', () => {
    for (const name of ['Centrul de Recuperare Iași', 'A', '9 Mai', 'Ăâîșț ĂÂÎȘȚ', `${'Lung '.repeat(20)}`]) {
      const slug = suggestSlug(name);
      expect(ZSlug.safeParse(slug).success).toBe(true);
    }
  });
});
