import { describe, expect, it } from 'vitest';
import { isJsonObject, toJsonObject } from './json.ts';

describe('toJsonObject', () => {
  it('drops undefined fields', () => {
    expect(toJsonObject({ id: 'a', name: undefined, nested: { n: 1 } })).toEqual({ id: 'a', nested: { n: 1 } });
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => toJsonObject({ at: new Date() })).toThrow(TypeError);
    expect(() => toJsonObject({ n: Number.NaN })).toThrow(TypeError);
  });
});

describe('isJsonObject', () => {
  it('accepts plain objects only', () => {
    expect(isJsonObject({ a: [1, 'x', null, { b: true }] })).toBe(true);
    expect(isJsonObject([])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
    expect(isJsonObject(new Map())).toBe(false);
  });
});
