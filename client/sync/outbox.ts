import type { MutatorResult, MutatorResultDetails, ReadonlyJSONObject } from '@rocicorp/zero';
import type { ErrorCode } from '../../sync-rules/errors.ts';
import type { MutatorName } from '../../sync-rules/mutators.ts';
import type { OutboxEntry } from './outbox-entry.ts';
import { judge, rejectionCode, replayOrder } from './outbox-logic.ts';

/** Durable storage of entries; `put` resolves only once the entry is committed to disk. */
export type OutboxStore = {
  put(entry: OutboxEntry): Promise<void>;
  delete(writeId: string): Promise<void>;
  getAll(): Promise<OutboxEntry[]>;
};

/** Sends one write through Zero (`zero.mutate(registry[name](args))`). */
export type Mutate = (name: MutatorName, args: ReadonlyJSONObject) => MutatorResult;

export type Rejection = { entry: OutboxEntry; code: ErrorCode | null; message: string };

/** `saved`: durable and handed to Zero (maybe only queued); `rejected`: refused and forgotten. */
export type SubmitOutcome = { status: 'saved' } | { status: 'rejected'; code: ErrorCode | null };

export type OutboxOptions = {
  store: OutboxStore;
  mutate: Mutate;
  onRejected: (rejection: Rejection) => void;
  /** For failures of the outbox itself (IndexedDB errors), which must not be swallowed. */
  onError: (error: unknown) => void;
  now?: () => number;
};

/**
 * Every write of the apps goes through `submit`, so that none is lost: Zero alone drops writes made
 * just before a reload and refuses them once disconnected. An entry is stored before Zero sees it
 * and is replayed on boot and on every reconnect until the server confirms or rejects it; the server
 * applies each writeId at most once, so replays are harmless.
 */
export class Outbox {
  readonly #store: OutboxStore;
  readonly #mutate: Mutate;
  readonly #onRejected: (rejection: Rejection) => void;
  readonly #onError: (error: unknown) => void;
  readonly #now: () => number;
  /** A copy of the stored entries, replaced (never mutated) on change, for React snapshots. */
  #entries: readonly OutboxEntry[] = [];
  /** Settled in this page: a refresh from storage must not bring them back while their delete runs. */
  readonly #settled = new Set<string>();
  /** writeIds whose `.server` result this Zero instance has not delivered yet. */
  readonly #inFlight = new Set<string>();
  readonly #listeners = new Set<() => void>();
  #closed = false;

  constructor(options: OutboxOptions) {
    this.#store = options.store;
    this.#mutate = options.mutate;
    this.#onRejected = options.onRejected;
    this.#onError = options.onError;
    this.#now = options.now ?? Date.now;
  }

  /** Reads what previous pages left behind (or another tab changed). */
  async refresh(): Promise<void> {
    const stored = await this.#store.getAll();
    this.#setEntries(stored.filter((entry) => !this.#settled.has(entry.writeId)));
  }

  /** Sends every entry that is not already on its way: on boot, and whenever the connection comes up. */
  replay(): void {
    for (const entry of replayOrder(this.#entries, this.#inFlight)) this.#send(entry).catch(this.#onError);
  }

  async submit(name: MutatorName, args: ReadonlyJSONObject): Promise<SubmitOutcome> {
    const { writeId } = args;
    if (typeof writeId !== 'string') throw new TypeError(`${name}: args need a writeId`);
    const entry: OutboxEntry = { writeId, name, args, createdAt: this.#now() };
    await this.#store.put(entry);
    this.#setEntries([...this.#entries.filter((other) => other.writeId !== writeId), entry]);
    return this.#send(entry);
  }

  readonly entries = (): readonly OutboxEntry[] => this.#entries;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Stops acting on results: Zero is closing, and the entries stay stored for the next boot. */
  close(): void {
    this.#closed = true;
    this.#listeners.clear();
  }

  #send(entry: OutboxEntry): Promise<SubmitOutcome> {
    let result: MutatorResult;
    try {
      result = this.#mutate(entry.name, entry.args);
    } catch (error) {
      // Only a programming error (an unregistered mutator) throws here; replaying it would fail forever.
      return this.#reject(entry, null, error instanceof Error ? error.message : String(error));
    }
    this.#inFlight.add(entry.writeId);
    result.server
      .then((details) => {
        this.#inFlight.delete(entry.writeId);
        return this.#settle(entry, details, 'server');
      })
      .catch(this.#onError);
    return result.client.then((details) => this.#settle(entry, details, 'client'));
  }

  async #settle(entry: OutboxEntry, details: MutatorResultDetails, origin: 'client' | 'server'): Promise<SubmitOutcome> {
    const verdict = judge(details, origin);
    if (verdict === 'rejected') {
      const message = details.type === 'error' ? details.error.message : '';
      return this.#reject(entry, rejectionCode(details), message);
    }
    if (verdict === 'confirmed') await this.#forget(entry.writeId);
    return { status: 'saved' };
  }

  async #reject(entry: OutboxEntry, code: ErrorCode | null, message: string): Promise<SubmitOutcome> {
    // Client and server may both reject the same write, and a replay may be refused after an
    // earlier attempt settled it: report each write once.
    if (await this.#forget(entry.writeId)) this.#onRejected({ entry, code, message });
    return { status: 'rejected', code };
  }

  /** Drops an entry; false if it was already gone. */
  async #forget(writeId: string): Promise<boolean> {
    if (this.#closed || this.#settled.has(writeId)) return false;
    this.#settled.add(writeId);
    const present = this.#entries.some((entry) => entry.writeId === writeId);
    this.#setEntries(this.#entries.filter((entry) => entry.writeId !== writeId));
    await this.#store.delete(writeId);
    return present;
  }

  #setEntries(entries: readonly OutboxEntry[]): void {
    if (this.#closed) return;
    this.#entries = entries;
    for (const listener of this.#listeners) listener();
  }
}
