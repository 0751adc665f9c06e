import { ZeroProvider } from '@rocicorp/zero/react';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { MutatorName } from '../../sync-rules/mutators.ts';
import { devSignIn } from './auth-api.ts';
import { toJsonObject } from './json.ts';
import type { OutboxEntry } from './outbox-entry.ts';
import type { SubmitOutcome } from './outbox.ts';
import { useSessionState } from './session-provider.tsx';
import type { Session } from './session.ts';
import { startSync, wipeLocalData, type SyncHandlers, type SyncRuntime } from './sync-runtime.ts';
import type { WriteArgs } from './write-schemas.ts';

type SyncState = { runtime: SyncRuntime; signOut: () => Promise<void>; renewSignIn: () => Promise<void> };

const SyncContext = createContext<SyncState | undefined>(undefined);

type Props = SyncHandlers & {
  session: Session;
  /** Shown while the outbox and Zero open, and if they cannot. */
  fallback: (failure: unknown) => ReactNode;
  children: ReactNode;
};

/**
 * Runs Zero and the outbox for the signed-in session. A new principal, organisation, role or
 * storage mode means a new Zero instance; a renewed token does not.
 */
export function SyncProvider({ session, onRejected, onError, fallback, children }: Props) {
  const { app, signIn, forget } = useSessionState();
  const [runtime, setRuntime] = useState<SyncRuntime | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const latest = useRef({ session, onRejected, onError });
  useLayoutEffect(() => {
    latest.current = { session, onRejected, onError };
  });

  // The optimistic context is fixed per Zero instance, so a changed role also means a new one.
  const { principalId, organizationId, membershipRole, platformRole } = session.context;
  const { sharedDevice } = session;
  useEffect(() => {
    let started: SyncRuntime | undefined;
    let cancelled = false;
    setFailure(null);
    startSync(app, latest.current.session, {
      onRejected: (rejection) => latest.current.onRejected(rejection),
      onError: (error) => latest.current.onError(error),
    }).then(
      (next) => {
        started = next;
        if (cancelled) void next.stop();
        else setRuntime(next);
      },
      (error: unknown) => {
        if (!cancelled) setFailure(error);
      },
    );
    return () => {
      cancelled = true;
      setRuntime(null);
      void started?.stop();
    };
  }, [app, principalId, organizationId, membershipRole, platformRole, sharedDevice]);

  const signOut = useCallback(async () => {
    await wipeLocalData(app, principalId, runtime, forget);
  }, [app, principalId, runtime, forget]);

  const renewSignIn = useCallback(async () => {
    const current = latest.current.session;
    const renewed = await devSignIn(current.human.email, current.context.organizationId ?? undefined);
    signIn(renewed, current.sharedDevice);
    // Same principal and clinic: keep this Zero instance (and its queued writes) with the new token.
    await runtime?.zero.connection.connect({ auth: renewed.token });
  }, [runtime, signIn]);

  const value = useMemo(() => (runtime === null ? undefined : { runtime, signOut, renewSignIn }), [runtime, signOut, renewSignIn]);
  if (value === undefined) return fallback(failure);
  return (
    <SyncContext.Provider value={value}>
      <ZeroProvider zero={value.runtime.zero}>{children}</ZeroProvider>
    </SyncContext.Provider>
  );
}

function useSync(): SyncState {
  const state = useContext(SyncContext);
  if (state === undefined) throw new Error('sync hooks need a <SyncProvider> above them');
  return state;
}

/** Every write of the apps: stored durably first, then sent; see Outbox. */
export function useSubmit(): <N extends MutatorName>(name: N, args: WriteArgs<N>) => Promise<SubmitOutcome> {
  const { outbox } = useSync().runtime;
  return useCallback((name, args) => outbox.submit(name, toJsonObject(args)), [outbox]);
}

/** Writes not yet confirmed by the server, oldest first. */
export function useOutboxEntries(): readonly OutboxEntry[] {
  const { outbox } = useSync().runtime;
  return useSyncExternalStore(outbox.subscribe, outbox.entries);
}

export function usePendingCount(): number {
  return useOutboxEntries().length;
}

export function useSignOut(): () => Promise<void> {
  return useSync().signOut;
}

/** After `needs-auth`: sign in again as the same person and clinic without losing queued writes. */
export function useRenewSignIn(): () => Promise<void> {
  return useSync().renewSignIn;
}

export function useReconnect(): () => Promise<void> {
  const { zero } = useSync().runtime;
  return useCallback(() => zero.connection.connect(), [zero]);
}
