import { describe, expect, it } from 'vitest';
import { peekPendingLink, pendingLinkAt, pendingLinkHref, rememberPendingLink, takePendingLink } from './pending-link.ts';

class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  get length() { return this.#items.size; }
  clear() { this.#items.clear(); }
  getItem(key: string) { return this.#items.get(key) ?? null; }
  key(index: number) { return [...this.#items.keys()][index] ?? null; }
  removeItem(key: string) { this.#items.delete(key); }
  setItem(key: string, value: string) { this.#items.set(key, value); }
}

const TOKEN = 'Abc_-123'.padEnd(43, 'x');
const HOUR = 60 * 60 * 1000;

describe('pending invitation and join links', () => {
  it('recognises only the accept and join pages of this app, with a well-formed token or code', () => {
    expect(pendingLinkAt('/clinic/invitations/accept', `?token=${TOKEN}`, '/clinic/')).toEqual({ kind: 'invitation', value: TOKEN });
    expect(pendingLinkAt('/portal/join', '?code=ABCD-EFGH', '/portal/')).toEqual({ kind: 'join', value: 'ABCD-EFGH' });
    expect(pendingLinkAt('/portal/invitations/accept', `?token=${TOKEN}`, '/clinic/')).toBeNull();
    expect(pendingLinkAt('/clinic/', `?token=${TOKEN}`, '/clinic/')).toBeNull();
    expect(pendingLinkAt('/clinic/invitations/accept', '?token=short', '/clinic/')).toBeNull();
    expect(pendingLinkAt('/portal/join', '?code=%2F%2Fevil.example', '/portal/')).toBeNull();
    expect(pendingLinkAt('/portal/join', '', '/portal/')).toBeNull();
  });

  it('builds the address back under the base path, encoded', () => {
    expect(pendingLinkHref({ kind: 'invitation', value: TOKEN }, '/clinic/')).toBe(`/clinic/invitations/accept?token=${TOKEN}`);
    expect(pendingLinkHref({ kind: 'join', value: 'ABCD EFGH' }, '/portal/')).toBe('/portal/join?code=ABCD+EFGH');
  });

  it('is kept per app, resumed once, and peeked without being forgotten', () => {
    const storage = new MemoryStorage();
    rememberPendingLink('portal', storage, { kind: 'join', value: 'ABCDEFGH' }, 1_000);
    expect(peekPendingLink('clinic', storage, 2_000)).toBeNull();
    expect(peekPendingLink('portal', storage, 2_000)).toEqual({ kind: 'join', value: 'ABCDEFGH' });
    expect(takePendingLink('portal', storage, 2_000)).toEqual({ kind: 'join', value: 'ABCDEFGH' });
    expect(takePendingLink('portal', storage, 2_000)).toBeNull();
  });

  it('is forgotten after a day, and anything tampered with is ignored', () => {
    const storage = new MemoryStorage();
    rememberPendingLink('clinic', storage, { kind: 'invitation', value: TOKEN }, 0);
    expect(peekPendingLink('clinic', storage, 23 * HOUR)).not.toBeNull();
    expect(takePendingLink('clinic', storage, 25 * HOUR)).toBeNull();
    for (const stored of ['not json', '{"kind":"invitation","value":"../../evil","savedAt":0}', '{"kind":"elsewhere","value":"x","savedAt":0}', '{"kind":"join","value":"ABCDEFGH"}']) {
      storage.setItem('restartix-clinic-pending-link', stored);
      expect(takePendingLink('clinic', storage, 1)).toBeNull();
    }
  });

  it('does nothing for an address that is not a kept page', () => {
    const storage = new MemoryStorage();
    rememberPendingLink('clinic', storage, null, 0);
    expect(storage.length).toBe(0);
  });
});
