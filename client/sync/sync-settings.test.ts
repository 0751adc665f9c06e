import { describe, expect, it } from 'vitest';
import { parseDisconnectTimeout } from './sync-settings.ts';

describe('parseDisconnectTimeout', () => {
  it('defaults to 20 s when unset or blank', () => {
    expect(parseDisconnectTimeout(undefined)).toBe(20_000);
    expect(parseDisconnectTimeout(' ')).toBe(20_000);
  });

  it('reads a positive whole number of milliseconds', () => {
    expect(parseDisconnectTimeout('3000')).toBe(3000);
  });

  it('falls back to the default for nonsense', () => {
    for (const raw of ['abc', '-5', '0', '1.5']) expect(parseDisconnectTimeout(raw)).toBe(20_000);
  });
});
