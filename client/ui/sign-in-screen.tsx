import { useEffect, useId, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { ApiError, devSignIn, fetchDemoAccounts, type DemoAccount } from '../sync/auth-api.ts';
import { useSessionState } from '../sync/session-provider.tsx';
import { useLocale, useT } from './i18n/i18n-provider.tsx';
import { isLocale } from './i18n/messages.ts';
import { useDismissAllNotices, useNotify } from './notices.tsx';
import { PageTitle } from './page-title.tsx';
import { TextField } from './text-field.tsx';
import { useOnline } from './use-online.ts';

const ZEmail = z.email();

export function SignInScreen() {
  const t = useT();
  const { setLocale } = useLocale();
  const { signIn } = useSessionState();
  const notify = useNotify();
  const dismissAllNotices = useDismissAllNotices();
  const online = useOnline();
  const sharedId = useId();
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState(false);
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

  const signInAs = (address: string) => {
    setBusy(true);
    devSignIn(address)
      .then((result) => {
        if (isLocale(result.human.locale)) setLocale(result.human.locale);
        dismissAllNotices();
        signIn(result, sharedDevice);
      })
      .catch((error: unknown) => {
        notify({ reason: error instanceof ApiError ? error.code : 'GENERIC', rejected: false });
        setBusy(false);
      });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZEmail.safeParse(email.trim());
    setEmailError(!parsed.success);
    if (parsed.success) signInAs(parsed.data);
  };

  return (
    <div className="sign-in">
      <PageTitle>{t('signIn.title')}</PageTitle>
      {!online && <p className="callout">{t('signIn.offline')}</p>}
      <form onSubmit={onSubmit} noValidate className="form">
        <TextField
          label={t('signIn.email')}
          name="email"
          type="email"
          autoComplete="username"
          spellCheck={false}
          required
          value={email}
          onChange={setEmail}
          error={emailError ? t('validation.email') : undefined}
        />
        <div className="checkbox-field">
          <input id={sharedId} type="checkbox" checked={sharedDevice} onChange={(event) => setSharedDevice(event.target.checked)} aria-describedby={`${sharedId}-hint`} />
          <label htmlFor={sharedId}>{t('signIn.sharedDevice')}</label>
          <p id={`${sharedId}-hint`} className="hint">
            {t('signIn.sharedDeviceHint')}
          </p>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        </div>
      </form>

      <section className="demo-accounts" aria-labelledby={`${sharedId}-demo`}>
        <h2 id={`${sharedId}-demo`}>{t('signIn.demoAccounts')}</h2>
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
