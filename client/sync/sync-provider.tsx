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
import { markSignOutPending } from './device-flags.ts';
import { signOutOfIdentity } from './identity-api.ts';
import { isUnreachable, renewSession, sessionInOrganization } from './identity-session.ts';
import { toJsonObject } from './json.ts';
import type { OutboxEntry } from './outbox-entry.ts';
import type { SubmitOutcome } from './outbox.ts';
import { useSessionState } from './session-provider.tsx';
import type { Session } from './session.ts';
import { startSync, wipeLocalData, type SyncHandlers, type SyncRuntime } from './sync-runtime.ts';
import { TokenKeeper, type SessionEndedError } from './token-keeper.ts';
import type { WriteArgs } from './write-schemas.ts';

/** `ended`: the sign-in behind this session is gone; local data and queued writes wait for the same person. */
export type AuthStatus = { state: 'active' } | { state: 'ended'; code: SessionEndedError['code'] };

/** Switching clinic waits until the writes made for the current one are confirmed. */
export class PendingWritesError extends Error {
  readonly count: number;

  constructor(count: number) {
    super(`${String(count)} writes are not confirmed yet`);
    this.name = 'PendingWritesError';
    this.count = count;
  }
}

type SyncState = {
  runtime: SyncRuntime;
  authStatus: AuthStatus;
  signOut: () => Promise<void>;
  /** Fetches a new token now (the badge's "sign in again" while Zero says needs-auth). */
  renewSignIn: () => Promise<void>;
  /** After the person signed in again: the same Zero instance and outbox carry on with a new token. */
  resume: () => Promise<void>;
  switchOrganization: (organizationId: string) => Promise<void>;
};

const SyncContext = createContext<SyncState | undefined>(undefined);

type Props = SyncHandlers & {
  session: Session;
  /** Shown while the outbox and Zero open, and if they cannot. */
  fallback: (failure: unknown) => ReactNode;
  children: ReactNode;
};

/**
 * Runs Zero and the outbox for the signed-in session. A new principal, organisation, role or
 * storage mode means a new Zero instance; a renewed token does not: it is handed to the running
 * instance, so queued writes are kept and sent with it.
 */
export function SyncProvider({ session, onRejected, onError, fallback, children }: Props) {
  const { app, signIn, forget } = useSessionState();
  const [runtime, setRuntime] = useState<SyncRuntime | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [authStatus, setAuthStatus] = useState<AuthStatus>({ state: 'active' });
  const keeper = useRef<TokenKeeper | null>(null);
  /** The token the running Zero instance was last given. */
  const appliedToken = useRef<string | null>(null);
  const latest = useRef({ session, onRejected, onError });
  useLayoutEffect(() => {
    latest.current = { session, onRejected, onError };
  });

  // The optimistic context is fixed per Zero instance, so a changed role also means a new one.
  const { principalId, organizationId, membershipRole, platformRole } = session.context;
  const customRolePermissions = session.context.customRolePermissions?.join(',') ?? '';
  const { sharedDevice } = session;
  useEffect(() => {
    let started: SyncRuntime | undefined;
    let cancelled = false;
    setFailure(null);
    const starting = latest.current.session;
    startSync(app, starting, {
      onRejected: (rejection) => latest.current.onRejected(rejection),
      onError: (error) => latest.current.onError(error),
    }).then(
      (next) => {
        started = next;
        if (cancelled) void next.stop();
        else {
          appliedToken.current = starting.token;
          setRuntime(next);
        }
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
  }, [app, principalId, organizationId, membershipRole, platformRole, customRolePermissions, sharedDevice]);

  /** Stores a renewed session and hands its token to the running Zero instance. */
  const adopt = useCallback(
    async (next: Session, zero: SyncRuntime['zero']) => {
      signIn(next, next.sharedDevice);
      appliedToken.current = next.token;
      // Connected: Zero sends the new token on its socket; needs-auth: it reconnects with it.
      await zero.connection.connect({ auth: next.token });
    },
    [signIn],
  );

  // One keeper per Zero instance: renews ahead of expiry and whenever Zero is refused.
  useEffect(() => {
    if (runtime === null) return;
    const tokens = new TokenKeeper({
      expiresAt: latest.current.session.expiresAt,
      renew: async () => {
        const next = await renewSession(latest.current.session);
        await adopt(next, runtime.zero);
        return next.expiresAt;
      },
      isUnreachable,
      onEnded: (error) => setAuthStatus({ state: 'ended', code: error.code }),
      onError: (error) => latest.current.onError(error),
    });
    keeper.current = tokens;
    const unsubscribe = runtime.zero.connection.state.subscribe((state) => {
      if (state.name === 'needs-auth') tokens.needsAuth();
    });
    if (runtime.zero.connection.state.current.name === 'needs-auth') tokens.needsAuth();
    // Zero waits in needs-auth for us; back online, do not wait for the keeper's backoff.
    const onOnline = () => {
      if (!tokens.ended && runtime.zero.connection.state.current.name === 'needs-auth') void tokens.renewNow();
    };
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('online', onOnline);
      unsubscribe();
      tokens.stop();
      keeper.current = null;
    };
  }, [runtime, adopt]);

  // A token from elsewhere (another tab renewed it, or the person signed in again there).
  const { token, expiresAt } = session;
  useEffect(() => {
    if (runtime === null || appliedToken.current === token) return;
    appliedToken.current = token;
    keeper.current?.tokenChanged(expiresAt);
    setAuthStatus({ state: 'active' });
    runtime.zero.connection.connect({ auth: token }).catch(latest.current.onError);
  }, [runtime, token, expiresAt]);

  const signOut = useCallback(async () => {
    if (latest.current.session.source === 'identity') {
      // Security: end the server session too; if it cannot be reached, the next sign-in screen will.
      await signOutOfIdentity().catch((error: unknown) => {
        if (isUnreachable(error)) markSignOutPending(localStorage);
      });
    }
    await wipeLocalData(app, principalId, runtime, forget);
  }, [app, principalId, runtime, forget]);

  const renewSignIn = useCallback(async () => {
    await keeper.current?.renewNow();
  }, []);

  const resume = useCallback(async () => {
    if (runtime === null) return;
    const next = await renewSession(latest.current.session);
    await adopt(next, runtime.zero);
    keeper.current?.tokenChanged(next.expiresAt);
    setAuthStatus({ state: 'active' });
  }, [runtime, adopt]);

  const switchOrganization = useCallback(
    async (target: string) => {
      // Security/integrity: a write is replayed with the token's clinic, so it must land before the clinic changes.
      const pending = runtime?.outbox.entries().length ?? 0;
      if (pending > 0) throw new PendingWritesError(pending);
      const next = await sessionInOrganization(latest.current.session, target);
      // A new context: the effect above starts a new Zero instance for that clinic's slice.
      signIn(next, next.sharedDevice);
    },
    [runtime, signIn],
  );

  const value = useMemo(
    () => (runtime === null ? undefined : { runtime, authStatus, signOut, renewSignIn, resume, switchOrganization }),
    [runtime, authStatus, signOut, renewSignIn, resume, switchOrganization],
  );
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

/** After `needs-auth`: a new token for the same person and clinic without losing queued writes. */
export function useRenewSignIn(): () => Promise<void> {
  return useSync().renewSignIn;
}

export function useAuthStatus(): AuthStatus {
  return useSync().authStatus;
}

/** Call once the person has signed in again (the identity cookie is back); rejects if that did not work. */
export function useResume(): () => Promise<void> {
  return useSync().resume;
}

export function useSwitchOrganization(): (organizationId: string) => Promise<void> {
  return useSync().switchOrganization;
}

export function useReconnect(): () => Promise<void> {
  const { zero } = useSync().runtime;
  return useCallback(() => zero.connection.connect(), [zero]);
}
