import { useEffect } from 'react';
import type { AppName } from '../sync/app-name.ts';
import { useSessionState } from '../sync/session-provider.tsx';
import { useT } from './i18n/i18n-provider.tsx';

/** The page's one <h1>, focusable so focus can move to it after navigation, and the tab title. */
export function PageTitle({ children }: { children: string }) {
  const t = useT();
  const { app } = useSessionState();
  useEffect(() => {
    document.title = `${children} · ${t(`app.${app satisfies AppName}`)}`;
  }, [children, app, t]);
  return (
    <h1 className="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}
