import type { ReactNode } from 'react';
import { useT } from './i18n/i18n-provider.tsx';
import { NoticeArea } from './notices.tsx';

/** The page skeleton every screen shares: skip link, banner, notices, main landmark. */
export function AppFrame({ header, children }: { header: ReactNode; children: ReactNode }) {
  const t = useT();
  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          // Focus, not scroll only, and without a hash change the router would treat as navigation.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('common.skipToContent')}
      </a>
      {header}
      <NoticeArea />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
