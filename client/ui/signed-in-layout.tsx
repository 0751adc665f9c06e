import { Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef, type ReactNode } from 'react';
import { useSessionState } from '../sync/session-provider.tsx';
import { useFollowMemberships } from '../sync/use-follow-memberships.ts';
import { AppFrame } from './app-frame.tsx';
import { SignedInHeader } from './app-header.tsx';
import { useResumePendingLink } from './pending-link-resume.tsx';
import { SessionEndedPanel } from './session-ended-panel.tsx';

/**
 * The root route of every app. After each navigation focus moves to the new page's title, so
 * keyboard and screen-reader users start where the content changed. On first render only when
 * focus was lost (e.g. the sign-in form just disappeared), not to steal it on a plain page load.
 * `nav`: the app's own navigation, under the header.
 */
export function SignedInLayout({ nav }: { nav?: ReactNode }) {
  const { app } = useSessionState();
  // The resolved location changes once the new page is rendered, so its <h1> exists by then.
  const href = useRouterState({ select: (state) => state.resolvedLocation?.href });
  const firstRender = useRef(true);
  useFollowMemberships();
  useResumePendingLink();

  useEffect(() => {
    const focusLost = document.activeElement === null || document.activeElement === document.body;
    if (!firstRender.current || focusLost) document.querySelector<HTMLElement>('main h1')?.focus();
    firstRender.current = false;
  }, [href]);

  return (
    <AppFrame
      header={
        <>
          <SignedInHeader app={app} />
          {nav}
        </>
      }
    >
      <SessionEndedPanel />
      <Outlet />
    </AppFrame>
  );
}
