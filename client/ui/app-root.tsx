import { RouterProvider, type AnyRouter } from '@tanstack/react-router';
import { StrictMode, useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import type { AppName } from '../sync/app-name.ts';
import { markSignOutPending } from '../sync/device-flags.ts';
import { signOutOfIdentity } from '../sync/identity-api.ts';
import { parseArrival, type Arrival } from '../sync/link-return.ts';
import { pendingLinkAt, rememberPendingLink } from '../sync/pending-link.ts';
import type { Rejection } from '../sync/outbox.ts';
import { SessionProvider, useSessionState } from '../sync/session-provider.tsx';
import { SyncProvider } from '../sync/sync-provider.tsx';
import { SignedOutHeader } from './app-header.tsx';
import { AppFrame } from './app-frame.tsx';
import { I18nProvider, useT } from './i18n/i18n-provider.tsx';
import { NoticesProvider, useNotify } from './notices.tsx';
import { PendingLinkHint } from './pending-link-resume.tsx';
import { SignInScreen } from './sign-in-screen.tsx';
import { ResetPasswordScreen } from './sign-in/reset-password-screen.tsx';
import './styles.css';

function Opening({ app, failure }: { app: AppName; failure: unknown }) {
  const t = useT();
  const { session, forget } = useSessionState();
  // Local storage failed to open, so there is nothing local to wipe; the server session still ends.
  const signOut = () => {
    if (session?.source === 'identity') signOutOfIdentity().catch(() => markSignOutPending(localStorage));
    forget();
  };
  if (failure === null) {
    return (
      <AppFrame header={<SignedOutHeader app={app} />}>
        <p className="muted">{t('common.opening')}</p>
      </AppFrame>
    );
  }
  return (
    <AppFrame header={<SignedOutHeader app={app} />}>
      <p className="callout">{t('common.openFailed')}</p>
      <button type="button" onClick={signOut}>
        {t('header.signOut')}
      </button>
    </AppFrame>
  );
}

function Gate({ router, arrival: initialArrival }: { router: AnyRouter; arrival: Arrival | null }) {
  const { app, session } = useSessionState();
  const [arrival, setArrival] = useState(initialArrival);
  const notify = useNotify();
  const onRejected = useCallback((rejection: Rejection) => notify({ reason: rejection.code ?? 'GENERIC', rejected: true }), [notify]);
  const onError = useCallback(
    (error: unknown) => {
      console.error('sync error', error);
      notify({ reason: 'GENERIC', rejected: false });
    },
    [notify],
  );

  if (arrival?.kind === 'reset' || arrival?.kind === 'reset-failed') {
    return (
      <AppFrame header={<SignedOutHeader app={app} />}>
        <ResetPasswordScreen link={arrival.kind === 'reset' ? { token: arrival.token } : { error: arrival.error }} onDone={() => setArrival(null)} />
      </AppFrame>
    );
  }
  if (session === null) {
    return (
      <AppFrame header={<SignedOutHeader app={app} />}>
        <PendingLinkHint />
        <SignInScreen arrival={arrival} />
      </AppFrame>
    );
  }
  return (
    <SyncProvider
      key={session.context.principalId}
      session={session}
      onRejected={onRejected}
      onError={onError}
      fallback={(failure) => <Opening app={app} failure={failure} />}
    >
      <RouterProvider router={router} />
    </SyncProvider>
  );
}

function LocalisedApp({ router, arrival }: { router: AnyRouter; arrival: Arrival | null }) {
  const { session } = useSessionState();
  return (
    <I18nProvider humanLocale={session?.human.locale}>
      <NoticesProvider>
        <Gate router={router} arrival={arrival} />
      </NoticesProvider>
    </I18nProvider>
  );
}

/** Starts one of the PWAs: its service worker, then the shared shell around its router. */
export function boot(app: AppName, router: AnyRouter): void {
  registerSW({ immediate: true });
  const container = document.getElementById('root');
  if (container === null) throw new Error('index.html needs a #root element');
  const base = import.meta.env.BASE_URL;
  // An invitation or join link outlives the sign-up it may take (resumed in SignedInLayout).
  rememberPendingLink(app, localStorage, pendingLinkAt(location.pathname, location.search, base), Date.now());
  // Security: a link's token is read once and leaves the address bar (and history) before anything renders.
  const arrival = parseArrival(location.pathname, location.search, base);
  if (arrival !== null) history.replaceState(null, '', base);
  createRoot(container).render(
    <StrictMode>
      <SessionProvider app={app}>
        <LocalisedApp router={router} arrival={arrival} />
      </SessionProvider>
    </StrictMode>,
  );
}
