import { useEffect, useId, useState } from 'react';
import { ApiError, devSignIn, fetchDemoAccounts, type DemoAccount } from '../sync/auth-api.ts';
import { markSignOutPending, takeSignOutPending } from '../sync/device-flags.ts';
import { signOutOfIdentity } from '../sync/identity-api.ts';
import { establishIdentitySession, isUnreachable } from '../sync/identity-session.ts';
import type { Arrival } from '../sync/link-return.ts';
import { useSessionState } from '../sync/session-provider.tsx';
import type { SignIn } from '../sync/session.ts';
import { useLocale, useT } from './i18n/i18n-provider.tsx';
import { isLocale } from './i18n/messages.ts';
import { useDismissAllNotices, useNotify } from './notices.tsx';
import { PageTitle } from './page-title.tsx';
import { SignInFlow } from './sign-in/sign-in-flow.tsx';
import { useOnline } from './use-online.ts';

/** The signed-out screen of every app: the real sign-in first, then the development demo accounts. */
export function SignInScreen({ arrival }: { arrival: Arrival | null }) {
  const t = useT();
  const { locale, setLocale } = useLocale();
  const { signIn } = useSessionState();
  const notify = useNotify();
  const dismissAllNotices = useDismissAllNotices();
  const online = useOnline();
  const demoId = useId();
  // One choice for both ways in: the real sign-in and the demo accounts.
  const [sharedDevice, setSharedDevice] = useState(false);
  const [busy, setBusy] = useState(false);
  const [accounts, setAccounts] = useState<DemoAccount[] | null>(null);

  useEffect(() => {
    if (!online) return;
    const abort = new AbortController();
    fetchDemoAccounts(abort.signal).then(setAccounts, () => {
      // No demo sign-ins (production, or the server is down): the email form still works.
      if (!abort.signal.aborted) setAccounts(null);
    });
    return () => abort.abort();
  }, [online]);

  useEffect(() => {
    // Security: a sign-out made offline still owes the server the end of that session. A link
    // that just signed someone in replaced that cookie, so there is nothing left to end.
    if (!online || !takeSignOutPending(localStorage) || arrival?.kind === 'link') return;
    signOutOfIdentity().catch((error: unknown) => {
      if (isUnreachable(error)) markSignOutPending(localStorage);
    });
  }, [online, arrival]);

  const start = (result: SignIn, sharedDevice: boolean) => {
    if (isLocale(result.human.locale)) setLocale(result.human.locale);
    dismissAllNotices();
    signIn(result, sharedDevice);
  };

  const signInAs = (address: string) => {
    setBusy(true);
    devSignIn(address)
      .then((result) => start(result, sharedDevice))
      .catch((error: unknown) => {
        notify({ reason: error instanceof ApiError ? error.code : 'GENERIC', rejected: false });
        setBusy(false);
      });
  };

  return (
    <div className="sign-in">
      <PageTitle>{t('signIn.title')}</PageTitle>
      {!online && <p className="callout">{t('signIn.offline')}</p>}
      <SignInFlow
        arrival={arrival}
        sharedDevice={{ value: sharedDevice, onChange: setSharedDevice }}
        complete={async (shared) => start(await establishIdentitySession(locale), shared)}
      />

      <section className="demo-accounts" aria-labelledby={`${demoId}-demo`}>
        <h2 id={`${demoId}-demo`}>{t('signIn.demoAccounts')}</h2>
        {online && accounts !== null ? (
          <>
            <p className="hint">{t('signIn.demoAccountsHint')}</p>
            <ul>
              {accounts.map((account) => (
                <li key={account.email}>
                  <button
                    type="button"
                    className="demo-account"
                    data-testid="demo-account"
                    data-email={account.email}
                    disabled={busy}
                    onClick={() => signInAs(account.email)}
                  >
                    <span className="demo-name">{account.name}</span>
                    <span className="demo-description">{account.description}</span>
                    <span className="demo-email">{account.email}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="hint">{t('signIn.demoUnavailable')}</p>
        )}
      </section>
    </div>
  );
}
