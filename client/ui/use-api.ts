import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { isErrorCode } from '../../sync-rules/errors.ts';
import { ApiError } from '../sync/auth-api.ts';
import { IdentityError } from '../sync/identity-api.ts';
import { useSessionState } from '../sync/session-provider.tsx';
import { loadSession } from '../sync/session.ts';
import { PendingWritesError, useRenewSignIn } from '../sync/sync-provider.tsx';
import { SessionEndedError } from '../sync/token-keeper.ts';
import type { NoticeReason } from './notice-reason.ts';

/**
 * Calls our REST API with the session's access token. The token is renewed ahead of its expiry, but
 * a device that slept may hold an expired one: refused as UNAUTHENTICATED, it is renewed once (the
 * same way Zero's is) and the call is made again with the new one.
 */
export function useApi(): <T>(call: (token: string) => Promise<T>) => Promise<T> {
  const { app, session } = useSessionState();
  const renew = useRenewSignIn();
  const latest = useRef(session);
  useLayoutEffect(() => {
    latest.current = session;
  });
  return useCallback(
    async <T,>(call: (token: string) => Promise<T>): Promise<T> => {
      const token = latest.current?.token;
      if (token === undefined) throw new ApiError('UNAUTHENTICATED', 'not signed in');
      try {
        return await call(token);
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED') throw error;
        await renew();
        // The renewed session is stored before React shows it: read it from there.
        const renewed = loadSession(app, { local: localStorage, session: sessionStorage })?.token;
        if (renewed === undefined || renewed === token) throw error;
        return call(renewed);
      }
    },
    [app, renew],
  );
}

/** How a failed call is explained to the person (notice-reason.ts). */
export function reasonOf(error: unknown): NoticeReason {
  if (error instanceof PendingWritesError) return 'SWITCH_PENDING';
  if (error instanceof SessionEndedError) return error.code;
  const code = error instanceof IdentityError || error instanceof ApiError ? error.code : null;
  if (code === 'NETWORK') return 'NETWORK';
  return isErrorCode(code) ? code : 'GENERIC';
}

/** A read through the API: loading, its value, or why it failed. */
export type Remote<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; reason: NoticeReason };

/**
 * Loads `call` once per `key`, and again on `reload()`; a reload keeps showing the previous value
 * until the new one arrives.
 */
export function useApiQuery<T>(call: (token: string) => Promise<T>, key: string): [Remote<T>, () => void] {
  const api = useApi();
  const [state, setState] = useState<Remote<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const latestCall = useRef(call);
  useLayoutEffect(() => {
    latestCall.current = call;
  });
  useEffect(() => {
    let live = true;
    api(latestCall.current).then(
      (value) => {
        if (live) setState({ status: 'ready', value });
      },
      (error: unknown) => {
        if (live) setState({ status: 'failed', reason: reasonOf(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [api, key, round]);
  const reload = useCallback(() => setRound((current) => current + 1), []);
  return [state, reload];
}
