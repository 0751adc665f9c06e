import { useState, type FormEvent } from 'react';
import { enableTwoFactor, type TwoFactorEnrolment } from '../../sync/identity-api.ts';
import { useT } from '../i18n/i18n-provider.tsx';
import { TextField } from '../text-field.tsx';
import { FormError } from './form-error.tsx';
import { TotpSetup } from './totp-setup.tsx';
import { useAction } from './use-action.ts';

/**
 * A role that needs a second factor, on an account without one: set it up right here rather than
 * sending the person to an account page they cannot reach yet. The password is asked for only if
 * this sign-in did not use one (a verification link).
 */
export function EnrolStep({ knownPassword, onConfirm }: { knownPassword: string | null; onConfirm: (code: string) => Promise<void> }) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [enrolment, setEnrolment] = useState<TwoFactorEnrolment | null>(null);
  const { busy, error, run } = useAction();

  const start = (event: FormEvent) => {
    event.preventDefault();
    const chosen = knownPassword ?? password;
    if (chosen === '') return;
    run(async () => {
      setEnrolment(await enableTwoFactor(chosen));
    });
  };

  return (
    <section className="sign-in-step" data-testid="enrol-second-factor">
      <h2>{t('secondFactor.setUpTitle')}</h2>
      <p>{t('secondFactor.required')}</p>
      {enrolment === null ? (
        <form onSubmit={start} noValidate className="form">
          {knownPassword === null && (
            <TextField label={t('secondFactor.password')} name="password" type="password" autoComplete="current-password" required value={password} onChange={setPassword} />
          )}
          <FormError error={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('secondFactor.start')}
            </button>
          </div>
        </form>
      ) : (
        <TotpSetup enrolment={enrolment} onConfirm={onConfirm} />
      )}
    </section>
  );
}
