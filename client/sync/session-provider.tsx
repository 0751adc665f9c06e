import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppName } from './app-name.ts';
import { clearSession, loadSession, saveSession, type Session, type SessionStores, type SignIn } from './session.ts';

type SessionState = {
  app: AppName;
  session: Session | null;
  /** Starts (or replaces) the session after a successful sign-in. */
  signIn: (signIn: SignIn, sharedDevice: boolean) => void;
  /** Forgets the session only; wiping local data is the sync layer's job (see useSignOut). */
  forget: () => void;
};

const SessionContext = createContext<SessionState | undefined>(undefined);

const browserStores = (): SessionStores => ({ local: localStorage, session: sessionStorage });

export function SessionProvider({ app, children }: { app: AppName; children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => loadSession(app, browserStores()));

  const signIn = useCallback(
    (result: SignIn, sharedDevice: boolean) => {
      const next: Session = { ...result, sharedDevice };
      saveSession(app, next, browserStores());
      setSession(next);
    },
    [app],
  );

  const forget = useCallback(() => {
    clearSession(app, browserStores());
    setSession(null);
  }, [app]);

  useEffect(() => {
    // Another tab of this app signed in or out: follow it, so no tab keeps a stale session.
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || event.key === `restartix-${app}-session`) setSession(loadSession(app, browserStores()));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [app]);

  const value = useMemo(() => ({ app, session, signIn, forget }), [app, session, signIn, forget]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (state === undefined) throw new Error('useSessionState needs a <SessionProvider> above it');
  return state;
}

/** The signed-in session; only for components rendered while signed in. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (session === null) throw new Error('useSession is only for signed-in screens');
  return session;
}
