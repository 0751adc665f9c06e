import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from './outbox-entry.ts';
import { becameConnected, judge, rejectionCode, replayOrder } from './outbox-logic.ts';

const entry = (writeId: string, createdAt: number): OutboxEntry => ({ writeId, name: 'location.update', args: { writeId }, createdAt });

describe('judge', () => {
  it('keeps an optimistic success until the server answers', () => {
    expect(judge({ type: 'success' }, 'client')).toBe('applied');
    expect(judge({ type: 'success' }, 'server')).toBe('confirmed');
  });

  it('treats app errors as rejections and zero errors as unknown', () => {
    const app = { type: 'error', error: { type: 'app', message: 'no', details: undefined } } as const;
    const zero = { type: 'error', error: { type: 'zero', message: 'offline' } } as const;
    expect(judge(app, 'client')).toBe('rejected');
    expect(judge(app, 'server')).toBe('rejected');
    expect(judge(zero, 'client')).toBe('unknown');
    expect(judge(zero, 'server')).toBe('unknown');
  });
});

describe('rejectionCode', () => {
  it('reads a known code from the details', () => {
    expect(rejectionCode({ type: 'error', error: { type: 'app', message: '', details: { code: 'LOCATION_CLOSED' } } })).toBe('LOCATION_CLOSED');
  });

  it('ignores unknown codes and other shapes', () => {
    expect(rejectionCode({ type: 'error', error: { type: 'app', message: '', details: { code: 'NOPE' } } })).toBeNull();
    expect(rejectionCode({ type: 'error', error: { type: 'app', message: '', details: ['FORBIDDEN'] } })).toBeNull();
    expect(rejectionCode({ type: 'error', error: { type: 'zero', message: '' } })).toBeNull();
    expect(rejectionCode({ type: 'success' })).toBeNull();
  });
});

describe('replayOrder', () => {
  it('sorts by creation and skips entries in flight', () => {
    const entries = [entry('c', 3), entry('a', 1), entry('b', 2)];
    expect(replayOrder(entries, new Set(['b'])).map((e) => e.writeId)).toEqual(['a', 'c']);
  });

  it('does not reorder the caller’s array', () => {
    const entries = [entry('b', 2), entry('a', 1)];
    replayOrder(entries, new Set());
    expect(entries.map((e) => e.writeId)).toEqual(['b', 'a']);
  });
});

describe('becameConnected', () => {
  it('fires on the transition to connected only', () => {
    expect(becameConnected(undefined, 'connected')).toBe(true);
    expect(becameConnected('disconnected', 'connected')).toBe(true);
    expect(becameConnected('connected', 'connected')).toBe(false);
    expect(becameConnected('connected', 'connecting')).toBe(false);
  });
});
