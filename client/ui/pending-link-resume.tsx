import { useEffect, useState } from 'react';
import { peekPendingLink, pendingLinkHref, takePendingLink } from '../sync/pending-link.ts';
import { useSessionState } from '../sync/session-provider.tsx';
import { useT } from './i18n/i18n-provider.tsx';
import { useRouterHistory } from './raw-address.ts';

/**
 * Once signed in, takes the person back to the invitation or join link they opened while signed
 * out (client/sync/pending-link.ts). Through the router's history, as the raw address: those pages
 * read their token or code from it.
 */
export function useResumePendingLink(): void {
  const { app } = useSessionState();
  const history = useRouterHistory();
  useEffect(() => {
    const link = takePendingLink(app, localStorage, Date.now());
    if (link === null) return;
    const href = pendingLinkHref(link, import.meta.env.BASE_URL);
    if (`${location.pathname}${location.search}` !== href) history.replace(href);
  }, [app, history]);
}

/** On the sign-in screen: why to sign in, and that the link will not be lost on the way. */
export function PendingLinkHint() {
  const t = useT();
  const { app } = useSessionState();
  const [link] = useState(() => peekPendingLink(app, localStorage, Date.now()));
  if (link === null) return null;
  return (
    <p className="callout" data-testid="pending-link-hint">
      {link.kind === 'invitation' ? t('invitations.signInFirst') : t('join.signInFirst')}
    </p>
  );
}
