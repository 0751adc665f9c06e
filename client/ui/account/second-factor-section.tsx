import { useEffect, useId, useState, type FormEvent } from 'react';
import { requiresSecondFactor } from '../../../sync-rules/permissions.ts';
import { disableTwoFactor, enableTwoFactor, fetchCurrentSession, verifyTotp, type TwoFactorEnrolment } from '../../sync/identity-api.ts';
import { useSession } from '../../sync/session-provider.tsx';
import { useResume } from '../../sync/sync-provider.tsx';
import { useT } from '../i18n/i18n-provider.tsx';
import { FormError } from '../sign-in/form-error.tsx';
import { TotpSetup } from '../sign-in/totp-setup.tsx';
import { useAction } from '../sign-in/use-action.ts';
import { TextField } from '../text-field.tsx';

type Mode = { name: 'idle' } | { name: 'password'; purpose: 'enable' | 'disable' } | { name: 'enrolling'; enrolment: TwoFactorEnrolment };

/**
 * TOTP on or off. Either change makes better-auth replace the session (and so kill the current
 * access token at once): a new token follows right away through `resume`, with the same Zero.
 */
export function SecondFactorSection() {
  const t = useT();
  const session = useSession();
  const resume = useResume();
  const titleId = useId();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [mode, setMode] = useState<Mode>({ name: 'idle' });
  const [password, setPassword] = useState('');
  const [changed, setChanged] = useState(false);
  const { busy, error, run } = useAction();
  const required = requiresSecondFactor(session.context);

  useEffect(() => {
    run(async () => {
      const current = await fetchCurrentSession();
      setEnabled(current?.user.twoFactorEnabled === true);
    });
  }, [run]);

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    if (mode.name !== 'password' || password === '') return;
    const { purpose } = mode;
    run(async () => {
      if (purpose === 'enable') {
        setMode({ name: 'enrolling', enrolment: await enableTwoFactor(password) });
      } else {
        await disableTwoFactor(password);
        await resume();
        setEnabled(false);
        setChanged(true);
        setMode({ name: 'idle' });
      }
      setPassword('');
    });
  };

  const confirm = async (code: string) => {
    await verifyTotp(code);
    await resume();
    setEnabled(true);
    setChanged(true);
    setMode({ name: 'idle' });
  };

  return (
    <section className="account-section" aria-labelledby={titleId} data-testid="second-factor" data-enabled={enabled ?? undefined}>
      <h2 id={titleId}>{t('account.secondFactor')}</h2>
      {enabled !== null && <p>{enabled ? t('account.secondFactorOn') : t('account.secondFactorOff')}</p>}
      {changed && enabled !== null && (
        <p className="callout" role="status">
          {enabled ? t('account.enabled') : t('account.disabled')}
        </p>
      )}
      {enabled === true && required && <p className="hint">{t('account.secondFactorRequired')}</p>}
      {mode.name === 'idle' && enabled !== null && (enabled ? !required : true) && (
        <div className="actions">
          <button
            type="button"
            className={enabled ? 'danger' : 'primary'}
            onClick={() => {
              setChanged(false);
              setMode({ name: 'password', purpose: enabled ? 'disable' : 'enable' });
            }}
          >
            {enabled ? t('account.disable') : t('account.enable')}
          </button>
        </div>
      )}
      {mode.name === 'password' && (
        <form onSubmit={submitPassword} noValidate className="form">
          <TextField
            label={t('secondFactor.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={setPassword}
            hint={mode.purpose === 'disable' ? t('account.disablePassword') : undefined}
          />
          <div className="actions">
            <button type="button" onClick={() => setMode({ name: 'idle' })}>
              {t('common.cancel')}
            </button>
            <button type="submit" className={mode.purpose === 'disable' ? 'danger' : 'primary'} disabled={busy}>
              {mode.purpose === 'disable' ? t('account.disable') : t('secondFactor.start')}
            </button>
          </div>
        </form>
      )}
      {mode.name === 'enrolling' && <TotpSetup enrolment={mode.enrolment} onConfirm={confirm} />}
      <FormError error={error} />
    </section>
  );
}
