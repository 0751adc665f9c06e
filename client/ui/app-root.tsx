import { RouterProvider, type AnyRouter } from '@tanstack/react-router';
import { StrictMode, useCallback } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import type { AppName } from '../sync/app-name.ts';
import type { Rejection } from '../sync/outbox.ts';
import { SessionProvider, useSessionState } from '../sync/session-provider.tsx';
import { SyncProvider } from '../sync/sync-provider.tsx';
import { SignedOutHeader } from './app-header.tsx';
import { AppFrame } from './app-frame.tsx';
import { I18nProvider, useT } from './i18n/i18n-provider.tsx';
import { NoticesProvider, useNotify } from './notices.tsx';
import { SignInScreen } from './sign-in-screen.tsx';
import './styles.css';

function Opening({ app, failure }: { app: AppName; failure: unknown }) {
  const t = useT();
  const { forget } = useSessionState();
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
      <button type="button" onClick={forget}>
        {t('header.signOut')}
      </button>
    </AppFrame>
  );
}

function Gate({ router }: { router: AnyRouter }) {
  const { app, session } = useSessionState();
  const notify = useNotify();
  const onRejected = useCallback((rejection: Rejection) => notify({ reason: rejection.code ?? 'GENERIC', rejected: true }), [notify]);
  const onError = useCallback(
    (error: unknown) => {
      console.error('sync error', error);
      notify({ reason: 'GENERIC', rejected: false });
    },
    [notify],
  );

  if (session === null) {
    return (
      <AppFrame header={<SignedOutHeader app={app} />}>
        <SignInScreen />
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

function LocalisedApp({ router }: { router: AnyRouter }) {
  const { session } = useSessionState();
  return (
    <I18nProvider humanLocale={session?.human.locale}>
      <NoticesProvider>
        <Gate router={router} />
      </NoticesProvider>
    </I18nProvider>
  );
}

/** Starts one of the PWAs: its service worker, then the shared shell around its router. */
export function boot(app: AppName, router: AnyRouter): void {
  registerSW({ immediate: true });
  const container = document.getElementById('root');
  if (container === null) throw new Error('index.html needs a #root element');
  createRoot(container).render(
    <StrictMode>
      <SessionProvider app={app}>
        <LocalisedApp router={router} />
      </SessionProvider>
    </StrictMode>,
  );
}
