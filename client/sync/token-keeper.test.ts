import { describe, expect, it } from 'vitest';
import { SessionEndedError, TokenKeeper, type Clock } from './token-keeper.ts';
import { REFRESH_LEAD_MS } from './token-schedule.ts';

const MINUTE = 60_000;

/** A clock whose timers run only when the test advances it. */
class FakeClock implements Clock {
  time = 0;
  #next = 1;
  readonly timers = new Map<number, { at: number; run: () => void }>();
  now = () => this.time;
  setTimeout = (run: () => void, ms: number) => {
    const id = this.#next++;
    this.timers.set(id, { at: this.time + ms, run });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers.delete(handle as number);
  };
  async advance(ms: number) {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].run();
      await flush();
    }
    this.time = end;
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

const offline = Object.assign(new Error('offline'), { offline: true });

function setup(renew: () => Promise<number>, expiresAt = 5 * MINUTE) {
  const clock = new FakeClock();
  const ended: SessionEndedError[] = [];
  const errors: unknown[] = [];
  let renewals = 0;
  const keeper = new TokenKeeper({
    expiresAt,
    renew: () => {
      renewals += 1;
      return renew();
    },
    isUnreachable: (error) => error === offline,
    onEnded: (error) => ended.push(error),
    onError: (error) => errors.push(error),
    clock,
  });
  return { clock, keeper, ended, errors, renewals: () => renewals };
}

describe('TokenKeeper', () => {
  it('renews a minute before expiry, then again before the next token expires', async () => {
    let expiry = 5 * MINUTE;
    const { clock, renewals } = setup(() => {
      expiry = clock.now() + 5 * MINUTE;
      return Promise.resolve(expiry);
    });
    await clock.advance(5 * MINUTE - REFRESH_LEAD_MS - 1);
    expect(renewals()).toBe(0);
    await clock.advance(1);
    expect(renewals()).toBe(1);
    await clock.advance(4 * MINUTE);
    expect(renewals()).toBe(2);
  });

  it('renews when Zero needs auth, sharing one renewal between concurrent asks', async () => {
    let resolve: (expiry: number) => void = () => undefined;
    const { keeper, renewals } = setup(() => new Promise((r) => (resolve = r)));
    keeper.needsAuth();
    keeper.needsAuth();
    void keeper.renewNow();
    expect(renewals()).toBe(1);
    resolve(10 * MINUTE);
    await flush();
    keeper.needsAuth();
    expect(renewals()).toBe(2);
  });

  it('retries with backoff while the server cannot be reached, without reporting an error', async () => {
    let fail = true;
    const { clock, keeper, renewals, errors, ended } = setup(() => (fail ? Promise.reject(offline) : Promise.resolve(clock.now() + 5 * MINUTE)));
    keeper.needsAuth();
    await flush();
    expect(renewals()).toBe(1);
    await clock.advance(5_000);
    expect(renewals()).toBe(2);
    await clock.advance(9_999);
    expect(renewals()).toBe(2);
    fail = false;
    await clock.advance(1);
    expect(renewals()).toBe(3);
    expect(errors).toEqual([]);
    expect(ended).toEqual([]);
  });

  it('reports once that the session ended, and stops until a new token arrives', async () => {
    const { clock, keeper, ended, renewals } = setup(() => Promise.reject(new SessionEndedError('UNAUTHENTICATED', 'gone')));
    keeper.needsAuth();
    await flush();
    expect(ended.map((error) => error.code)).toEqual(['UNAUTHENTICATED']);
    expect(keeper.ended).toBe(true);
    keeper.needsAuth();
    await clock.advance(60 * MINUTE);
    expect(renewals()).toBe(1);
    // Signing in again (here or in another tab) brings a new token: the keeper follows it.
    keeper.tokenChanged(clock.now() + 5 * MINUTE);
    expect(keeper.ended).toBe(false);
    await clock.advance(4 * MINUTE);
    expect(renewals()).toBe(2);
  });

  it('gives up after fresh tokens keep being refused, instead of looping', async () => {
    const { clock, keeper, ended, renewals } = setup(() => Promise.resolve(clock.now() + 5 * MINUTE));
    for (let i = 0; i < 5; i++) {
      keeper.needsAuth();
      await flush();
      await clock.advance(1_000);
    }
    expect(renewals()).toBe(3);
    expect(ended.map((error) => error.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('reports unexpected failures and still tries again later', async () => {
    const boom = new Error('boom');
    const { clock, keeper, errors, renewals } = setup(() => Promise.reject(boom));
    keeper.needsAuth();
    await flush();
    expect(errors).toEqual([boom]);
    await clock.advance(5_000);
    expect(renewals()).toBe(2);
  });

  it('does nothing once stopped', async () => {
    const { clock, keeper, renewals } = setup(() => Promise.resolve(clock.now() + 5 * MINUTE));
    keeper.stop();
    keeper.needsAuth();
    await clock.advance(60 * MINUTE);
    expect(renewals()).toBe(0);
  });
});
