import { describe, expect, it } from 'vitest';
import { clearSession, currentOrganizationName, loadSession, saveSession, type Session, type SessionStores } from './session.ts';

class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value);
  }
}

const stores = (): SessionStores => ({ local: new MemoryStorage(), session: new MemoryStorage() });

const session: Session = {
  source: 'development',
  token: 'tok',
  expiresAt: 1_800_000_000_000,
  context: { principalId: 'p1', organizationId: 'o1', membershipRole: 'admin', platformRole: null },
  human: { name: 'Ana Pop', email: 'ana@example.test', locale: 'ro' },
  organizations: [{ id: 'o1', name: 'Clinica Nord', role: 'admin' }],
  sharedDevice: false,
};

describe('session storage', () => {
  it('keeps a normal session in localStorage, per app', () => {
    const s = stores();
    saveSession('clinic', session, s);
    expect(s.local.getItem('restartix-clinic-session')).not.toBeNull();
    expect(s.session.length).toBe(0);
    expect(loadSession('clinic', s)).toEqual(session);
    expect(loadSession('portal', s)).toBeNull();
  });

  it('keeps a shared-device session in sessionStorage only', () => {
    const s = stores();
    saveSession('clinic', session, s);
    saveSession('clinic', { ...session, sharedDevice: true }, s);
    expect(s.local.length).toBe(0);
    expect(loadSession('clinic', s)?.sharedDevice).toBe(true);
  });

  it('reads a session stored before real sign-in existed as a development one', () => {
    const s = stores();
    const { source: _source, ...older } = session;
    s.local.setItem('restartix-clinic-session', JSON.stringify(older));
    expect(loadSession('clinic', s)).toEqual(session);
  });

  it('forgets a session it cannot read', () => {
    const s = stores();
    s.local.setItem('restartix-clinic-session', '{"token":1}');
    expect(loadSession('clinic', s)).toBeNull();
    expect(s.local.length).toBe(0);
  });

  it('clears both stores', () => {
    const s = stores();
    saveSession('clinic', session, s);
    clearSession('clinic', s);
    expect(loadSession('clinic', s)).toBeNull();
  });

  it('names the current organisation', () => {
    expect(currentOrganizationName(session)).toBe('Clinica Nord');
    expect(currentOrganizationName({ ...session, context: { ...session.context, organizationId: null } })).toBeNull();
  });
});
