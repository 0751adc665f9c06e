/**
 * A small in-memory cache with a time limit per entry and a bound on its size (least recently used
 * goes first). Unwrapped data keys live here: the time limit bounds how long a key stays in memory
 * after its last unwrap and how soon another replica's rotation is seen; the bound caps memory when
 * one server holds many clinics. The clock is injected so expiry is tested without waiting.
 */

export type Clock = () => number;

export type TtlCache<V> = {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  readonly size: number;
};

export function createTtlCache<V>(options: { ttlMs: number; maxEntries: number; now?: Clock }): TtlCache<V> {
  const { ttlMs, maxEntries } = options;
  if (!(ttlMs > 0) || !(maxEntries >= 1)) throw new Error('a cache needs a positive time limit and room for one entry');
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, { value: V; expiresAt: number }>();

  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      if (now() >= entry.expiresAt) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ttlMs });
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
