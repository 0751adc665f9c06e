import type { MutatorResult, MutatorResultDetails, ReadonlyJSONObject } from '@rocicorp/zero';
import { describe, expect, it } from 'vitest';
import type { MutatorName } from '../../sync-rules/mutators.ts';
import type { OutboxEntry } from './outbox-entry.ts';
import { Outbox, type OutboxStore, type Rejection } from './outbox.ts';

const OK: MutatorResultDetails = { type: 'success' };
const OFFLINE: MutatorResultDetails = { type: 'error', error: { type: 'zero', message: 'offline' } };
const rejected = (code: string): MutatorResultDetails => ({
  type: 'error',
  error: { type: 'app', message: `refused: ${code}`, details: { code } },
});

class MemoryStore implements OutboxStore {
  readonly rows = new Map<string, OutboxEntry>();
  failPuts = false;
  async put(entry: OutboxEntry) {
    await Promise.resolve();
    if (this.failPuts) throw new Error('quota exceeded');
    this.rows.set(entry.writeId, entry);
  }
  async delete(writeId: string) {
    await Promise.resolve();
    this.rows.delete(writeId);
  }
  async getAll() {
    await Promise.resolve();
    return [...this.rows.values()];
  }
}

type Deferred = { promise: Promise<MutatorResultDetails>; resolve: (details: MutatorResultDetails) => void };
function deferred(): Deferred {
  let resolve: (details: MutatorResultDetails) => void = () => undefined;
  const promise = new Promise<MutatorResultDetails>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A stand-in for zero.mutate whose client and server answers the test gives by hand. */
class FakeZero {
  readonly calls: { name: MutatorName; args: ReadonlyJSONObject; storedAtCall: boolean; client: Deferred; server: Deferred }[] = [];
  constructor(private readonly store: MemoryStore) {}
  readonly mutate = (name: MutatorName, args: ReadonlyJSONObject): MutatorResult => {
    const client = deferred();
    const server = deferred();
    const writeId = typeof args.writeId === 'string' ? args.writeId : '';
    this.calls.push({ name, args, storedAtCall: this.store.rows.has(writeId), client, server });
    return { client: client.promise, server: server.promise };
  };
  last() {
    const call = this.calls.at(-1);
    if (call === undefined) throw new Error('zero.mutate was not called');
    return call;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(store = new MemoryStore()) {
  const zero = new FakeZero(store);
  const rejections: Rejection[] = [];
  const errors: unknown[] = [];
  let clock = 1000;
  const outbox = new Outbox({
    store,
    mutate: zero.mutate,
    onRejected: (rejection) => rejections.push(rejection),
    onError: (error) => errors.push(error),
    now: () => clock++,
  });
  return { store, zero, outbox, rejections, errors };
}

const args = (writeId: string) => ({ writeId, id: `loc-${writeId}`, status: 'inactive' });

describe('Outbox.submit', () => {
  it('stores the entry durably before handing it to Zero', async () => {
    const { zero, outbox } = setup();
    const outcome = outbox.submit('location.setStatus', args('w1'));
    await settle();
    expect(zero.last().storedAtCall).toBe(true);
    expect(outbox.entries().map((entry) => entry.writeId)).toEqual(['w1']);
    zero.last().client.resolve(OK);
    await expect(outcome).resolves.toEqual({ status: 'saved' });
  });

  it('does not call Zero when the entry cannot be stored', async () => {
    const store = new MemoryStore();
    store.failPuts = true;
    const { zero, outbox } = setup(store);
    await expect(outbox.submit('location.setStatus', args('w1'))).rejects.toThrow('quota exceeded');
    expect(zero.calls).toHaveLength(0);
    expect(outbox.entries()).toHaveLength(0);
  });

  it('keeps the entry until the server confirms it', async () => {
    const { store, zero, outbox } = setup();
    const outcome = outbox.submit('location.setStatus', args('w1'));
    await settle();
    zero.last().client.resolve(OK);
    await outcome;
    expect(outbox.entries()).toHaveLength(1);
    zero.last().server.resolve(OK);
    await settle();
    expect(outbox.entries()).toHaveLength(0);
    expect(store.rows.size).toBe(0);
  });

  it('drops and reports a write the client run rejects, once', async () => {
    const { store, zero, outbox, rejections } = setup();
    const outcome = outbox.submit('location.create', args('w1'));
    await settle();
    zero.last().client.resolve(rejected('SLUG_TAKEN'));
    zero.last().server.resolve(rejected('SLUG_TAKEN'));
    await expect(outcome).resolves.toEqual({ status: 'rejected', code: 'SLUG_TAKEN' });
    await settle();
    expect(rejections.map((r) => [r.entry.writeId, r.code])).toEqual([['w1', 'SLUG_TAKEN']]);
    expect(outbox.entries()).toHaveLength(0);
    expect(store.rows.size).toBe(0);
  });

  it('drops and reports a write the server rejects after an optimistic success', async () => {
    const { zero, outbox, rejections } = setup();
    const outcome = outbox.submit('location.setStatus', args('w1'));
    await settle();
    zero.last().client.resolve(OK);
    await expect(outcome).resolves.toEqual({ status: 'saved' });
    zero.last().server.resolve(rejected('FORBIDDEN'));
    await settle();
    expect(rejections.map((r) => r.code)).toEqual(['FORBIDDEN']);
    expect(outbox.entries()).toHaveLength(0);
  });

  it('reports a rejection without one of our codes with a null code', async () => {
    const { zero, outbox, rejections } = setup();
    const outcome = outbox.submit('location.setStatus', args('w1'));
    await settle();
    zero.last().client.resolve({ type: 'error', error: { type: 'app', message: 'boom', details: { name: 'PostgresError' } } });
    await expect(outcome).resolves.toEqual({ status: 'rejected', code: null });
    expect(rejections.map((r) => [r.code, r.message])).toEqual([[null, 'boom']]);
  });

  it('keeps a write whose outcome is unknown (Zero offline) and counts it as saved', async () => {
    const { store, zero, outbox, rejections } = setup();
    const outcome = outbox.submit('location.setStatus', args('w1'));
    await settle();
    zero.last().client.resolve(OFFLINE);
    zero.last().server.resolve(OFFLINE);
    await expect(outcome).resolves.toEqual({ status: 'saved' });
    await settle();
    expect(outbox.entries()).toHaveLength(1);
    expect(store.rows.size).toBe(1);
    expect(rejections).toHaveLength(0);
  });
});

describe('Outbox.replay', () => {
  it('on boot resends every stored entry, oldest first', async () => {
    const store = new MemoryStore();
    store.rows.set('b', { writeId: 'b', name: 'location.update', args: args('b'), createdAt: 20 });
    store.rows.set('a', { writeId: 'a', name: 'location.create', args: args('a'), createdAt: 10 });
    const { zero, outbox } = setup(store);
    await outbox.refresh();
    outbox.replay();
    expect(zero.calls.map((call) => [call.name, call.args.writeId])).toEqual([
      ['location.create', 'a'],
      ['location.update', 'b'],
    ]);
  });

  it('on reconnect resends only the entries Zero is not still waiting on', async () => {
    const { zero, outbox } = setup();
    const first = outbox.submit('location.setStatus', args('offline'));
    await settle();
    zero.last().client.resolve(OFFLINE);
    zero.last().server.resolve(OFFLINE);
    await first;
    const second = outbox.submit('location.setStatus', args('queued'));
    await settle();
    zero.last().client.resolve(OK);
    await second;

    outbox.replay();
    expect(zero.calls.map((call) => call.args.writeId)).toEqual(['offline', 'queued', 'offline']);

    zero.last().client.resolve(OK);
    zero.last().server.resolve(OK);
    await settle();
    expect(outbox.entries().map((entry) => entry.writeId)).toEqual(['queued']);
  });

  it('settles an entry once when an earlier attempt and its replay both answer', async () => {
    const { zero, outbox, rejections } = setup();
    const outcome = outbox.submit('location.setStatus', args('w1'));
    await settle();
    const original = zero.last();
    original.client.resolve(OK);
    await outcome;
    original.server.resolve(OFFLINE);
    await settle();
    outbox.replay();
    const replayed = zero.last();
    replayed.client.resolve(OK);
    replayed.server.resolve(OK);
    await settle();
    expect(outbox.entries()).toHaveLength(0);
    expect(rejections).toHaveLength(0);
  });

  it('stops acting on results once closed, leaving entries stored for the next boot', async () => {
    const { store, zero, outbox } = setup();
    const outcome = outbox.submit('location.setStatus', args('w1'));
    await settle();
    zero.last().client.resolve(OK);
    await outcome;
    outbox.close();
    zero.last().server.resolve(OK);
    await settle();
    expect(store.rows.size).toBe(1);
  });
});

describe('Outbox subscriptions', () => {
  it('notifies on every change with a new snapshot', async () => {
    const { zero, outbox } = setup();
    const snapshots: (readonly OutboxEntry[])[] = [];
    outbox.subscribe(() => snapshots.push(outbox.entries()));
    const outcome = outbox.submit('location.setStatus', args('w1'));
    await settle();
    zero.last().client.resolve(OK);
    zero.last().server.resolve(OK);
    await outcome;
    await settle();
    expect(snapshots.map((snapshot) => snapshot.length)).toEqual([1, 0]);
    expect(snapshots[0]).not.toBe(snapshots[1]);
  });
});
