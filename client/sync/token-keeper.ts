import { mayRenewOnNeedsAuth, refreshDelay, retryDelay } from './token-schedule.ts';

/** The sign-in behind a session is gone (signed out elsewhere, revoked, expired) or no longer enough. */
export class SessionEndedError extends Error {
  readonly code: 'UNAUTHENTICATED' | 'SECOND_FACTOR_REQUIRED';

  constructor(code: 'UNAUTHENTICATED' | 'SECOND_FACTOR_REQUIRED', message: string) {
    super(message);
    this.name = 'SessionEndedError';
    this.code = code;
  }
}

export type Clock = {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

const browserClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type TokenKeeperOptions = {
  /** Epoch milliseconds at which the current token expires. */
  expiresAt: number;
  /** Fetches and applies a new token; resolves with its expiry. Throws SessionEndedError when only the person can fix it. */
  renew: () => Promise<number>;
  /** Whether a failure only means the server could not be reached (then we try again later). */
  isUnreachable: (error: unknown) => boolean;
  onEnded: (error: SessionEndedError) => void;
  onError: (error: unknown) => void;
  clock?: Clock;
};

/**
 * Keeps a session's short-lived access token fresh: renews it ahead of expiry and whenever Zero
 * reports `needs-auth`, retries with backoff while offline, and reports once when the session has
 * ended so the person can sign in again. It never touches Zero's instance or the outbox.
 */
export class TokenKeeper {
  readonly #options: TokenKeeperOptions;
  readonly #clock: Clock;
  #expiresAt: number;
  #timer: unknown = null;
  #running: Promise<void> | null = null;
  #failures = 0;
  #needsAuthAt: number[] = [];
  #ended = false;
  #stopped = false;

  constructor(options: TokenKeeperOptions) {
    this.#options = options;
    this.#clock = options.clock ?? browserClock;
    this.#expiresAt = options.expiresAt;
    this.#arm(refreshDelay(this.#expiresAt, this.#clock.now()));
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** A token arrived from elsewhere (another tab, signing in again): follow its expiry. */
  tokenChanged(expiresAt: number): void {
    if (this.#stopped) return;
    this.#expiresAt = expiresAt;
    this.#ended = false;
    this.#failures = 0;
    this.#needsAuthAt = [];
    this.#arm(refreshDelay(expiresAt, this.#clock.now()));
  }

  /** Zero was refused with the current token. */
  needsAuth(): void {
    if (this.#stopped || this.#ended || this.#running !== null) return;
    const now = this.#clock.now();
    if (!mayRenewOnNeedsAuth(this.#needsAuthAt, now)) {
      this.#end(new SessionEndedError('UNAUTHENTICATED', 'fresh tokens keep being refused'));
      return;
    }
    this.#needsAuthAt = [...this.#needsAuthAt, now].slice(-10);
    void this.renewNow();
  }

  /** Renews now; concurrent calls share one renewal. Never rejects: outcomes go to the callbacks. */
  renewNow(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#running ??= this.#renew().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  stop(): void {
    this.#stopped = true;
    this.#disarm();
  }

  async #renew(): Promise<void> {
    this.#disarm();
    try {
      const expiresAt = await this.#options.renew();
      if (this.#stopped) return;
      this.#expiresAt = expiresAt;
      this.#failures = 0;
      this.#ended = false;
      this.#arm(refreshDelay(expiresAt, this.#clock.now()));
    } catch (error) {
      if (this.#stopped) return;
      if (error instanceof SessionEndedError) {
        this.#end(error);
        return;
      }
      if (!this.#options.isUnreachable(error)) this.#options.onError(error);
      this.#failures += 1;
      this.#arm(retryDelay(this.#failures), true);
    }
  }

  #end(error: SessionEndedError): void {
    this.#disarm();
    this.#ended = true;
    this.#options.onEnded(error);
  }

  /** `retry`: after a failed renewal, try again when it fires whatever the expiry says. */
  #arm(delay: number, retry = false): void {
    this.#disarm();
    if (this.#stopped) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      // A long timer may fire early on purpose (MAX_TIMER_MS): renew only when actually due.
      if (retry || refreshDelay(this.#expiresAt, this.#clock.now()) === 0) void this.renewNow();
      else this.#arm(refreshDelay(this.#expiresAt, this.#clock.now()));
    }, delay);
  }

  #disarm(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
