import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, NEEDS_AUTH_BUDGET, NEEDS_AUTH_WINDOW_MS, mayRenewOnNeedsAuth, REFRESH_LEAD_MS, refreshDelay, retryDelay } from './token-schedule.ts';

const MINUTE = 60_000;

describe('refreshDelay', () => {
  it('renews a five-minute token a minute before it expires', () => {
    expect(refreshDelay(5 * MINUTE, 0)).toBe(5 * MINUTE - REFRESH_LEAD_MS);
  });

  it('renews at once when the token is due or already expired (a device that slept)', () => {
    expect(refreshDelay(30_000, 0)).toBe(0);
    expect(refreshDelay(0, 10 * MINUTE)).toBe(0);
  });

  it('looks again at least every ten minutes for long-lived development tokens', () => {
    expect(refreshDelay(12 * 60 * MINUTE, 0)).toBe(MAX_TIMER_MS);
  });
});

describe('retryDelay', () => {
  it('backs off from five seconds to two minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(retryDelay)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 120_000, 120_000, 120_000]);
  });
});

describe('mayRenewOnNeedsAuth', () => {
  it('allows a few renewals a minute, then asks the person', () => {
    const now = 10 * MINUTE;
    const recent = Array.from({ length: NEEDS_AUTH_BUDGET }, (_, index) => now - index * 1_000);
    expect(mayRenewOnNeedsAuth(recent.slice(1), now)).toBe(true);
    expect(mayRenewOnNeedsAuth(recent, now)).toBe(false);
    expect(mayRenewOnNeedsAuth(recent, now + NEEDS_AUTH_WINDOW_MS)).toBe(true);
  });
});
