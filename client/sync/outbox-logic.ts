import type { MutatorResultDetails } from '@rocicorp/zero';
import { isErrorCode, type ErrorCode } from '../../sync-rules/errors.ts';
import type { OutboxEntry } from './outbox-entry.ts';

/**
 * What one result of `zero.mutate` means for the outbox entry:
 * - applied: the optimistic run succeeded; keep the entry until the server answers;
 * - confirmed: the server applied it (or had already, for a replay); drop the entry;
 * - rejected: our code refused it, on the client or the server; drop it and tell the person;
 * - unknown: Zero could not tell (offline, closed); keep it and replay later.
 */
export type Verdict = 'applied' | 'confirmed' | 'rejected' | 'unknown';

export function judge(result: MutatorResultDetails, origin: 'client' | 'server'): Verdict {
  if (result.type === 'success') return origin === 'server' ? 'confirmed' : 'applied';
  // Security/robustness: only an app error is a decision; a zero error says nothing about the write.
  return result.error.type === 'app' ? 'rejected' : 'unknown';
}

/** The error code of a rejection, when it carries one of ours. */
export function rejectionCode(result: MutatorResultDetails): ErrorCode | null {
  if (result.type !== 'error' || result.error.type !== 'app') return null;
  const { details } = result.error;
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return null;
  const code = (details as { readonly code?: unknown }).code;
  return isErrorCode(code) ? code : null;
}

/** The entries to send again, oldest first, skipping those this Zero instance is still waiting on. */
export function replayOrder(entries: readonly OutboxEntry[], inFlight: ReadonlySet<string>): OutboxEntry[] {
  return entries
    .filter((entry) => !inFlight.has(entry.writeId))
    .sort((a, b) => a.createdAt - b.createdAt || a.writeId.localeCompare(b.writeId));
}

/** Replay when the connection comes (back) up, not on every repeated `connected` report. */
export function becameConnected(previous: string | undefined, next: string): boolean {
  return next === 'connected' && previous !== 'connected';
}
