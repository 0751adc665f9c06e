import { mustGetMutator, Zero, type MutatorResult, type ReadonlyJSONObject } from '@rocicorp/zero';
import { mutators, type MutatorName } from '../../sync-rules/mutators.ts';
import { schema } from '../../sync-rules/schema.ts';
import type { AppName } from './app-name.ts';
import type { Session } from './session.ts';
import { parseDisconnectTimeout } from './sync-settings.ts';

export function createZero(app: AppName, session: Session): Zero {
  return new Zero({
    // Same origin: the server proxies the websocket; zero-cache itself is never exposed.
    cacheURL: `${location.origin}/zero`,
    userID: session.context.principalId,
    auth: session.token,
    // Only drives optimistic runs; the server derives the real context from the token.
    context: session.context,
    schema,
    mutators,
    storageKey: app,
    // Security: the local copy is not encrypted, so shared devices keep it in memory only.
    kvStore: session.sharedDevice ? 'mem' : 'idb',
    disconnectTimeoutMs: parseDisconnectTimeout(import.meta.env.VITE_ZERO_DISCONNECT_TIMEOUT_MS),
  });
}

/** The outbox's view of Zero: a write by name, built from the registry Zero was given. */
export function mutateThrough(zero: Zero): (name: MutatorName, args: ReadonlyJSONObject) => MutatorResult {
  return (name, args) => zero.mutate(mustGetMutator(mutators, name)(args));
}
