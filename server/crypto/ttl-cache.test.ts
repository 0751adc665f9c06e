import { describe, expect, it } from 'vitest';
import { createTtlCache } from './ttl-cache.ts';

describe('the key cache', () => {
  it('forgets an entry once its time limit has passed, counted from when it was stored', () => {
    let now = 1_000;
    const cache = createTtlCache<string>({ ttlMs: 300_000, maxEntries: 10, now: () => now });
    cache.set('org:1', 'key');
    now += 299_999;
    expect(cache.get('org:1')).toBe('key');
    // Reading does not extend it: a key leaves memory at most ttl after it was unwrapped.
    now += 1;
    expect(cache.get('org:1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries, dropping the least recently used', () => {
    const cache = createTtlCache<number>({ ttlMs: 60_000, maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('refuses a limit that would cache nothing or forever', () => {
    expect(() => createTtlCache({ ttlMs: 0, maxEntries: 1 })).toThrow();
    expect(() => createTtlCache({ ttlMs: Number.NaN, maxEntries: 1 })).toThrow();
    expect(() => createTtlCache({ ttlMs: 1, maxEntries: 0 })).toThrow();
  });
});
