/** Fetch the next access token this long before the current one expires. */
export const REFRESH_LEAD_MS = 60_000;
/** Timers drift while a laptop sleeps or a tab is throttled: look again at least this often. */
export const MAX_TIMER_MS = 10 * 60_000;
/** How many renewals a `needs-auth` may start within NEEDS_AUTH_WINDOW_MS before we stop trying. */
export const NEEDS_AUTH_BUDGET = 3;
export const NEEDS_AUTH_WINDOW_MS = 60_000;

/**
 * How long to wait before renewing a token that expires at `expiresAt`: zero when it is due (or
 * already expired), otherwise until REFRESH_LEAD_MS before expiry, at most MAX_TIMER_MS at a time.
 */
export function refreshDelay(expiresAt: number, now: number): number {
  const due = expiresAt - REFRESH_LEAD_MS - now;
  if (due <= 0) return 0;
  return Math.min(due, MAX_TIMER_MS);
}

/** After the server could not be reached: 5 s, 10 s, 20 s … up to two minutes. */
export function retryDelay(failures: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, failures - 1), 120_000);
}

/**
 * Whether a `needs-auth` at `now` may start one more renewal. A server that refuses every fresh
 * token (the person was removed, or their role now needs a second factor) would otherwise make us
 * loop: past the budget the person is asked to sign in again.
 */
export function mayRenewOnNeedsAuth(recent: readonly number[], now: number): boolean {
  return recent.filter((at) => now - at < NEEDS_AUTH_WINDOW_MS).length < NEEDS_AUTH_BUDGET;
}
