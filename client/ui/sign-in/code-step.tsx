import { useState, type FormEvent } from 'react';
import { useT } from '../i18n/i18n-provider.tsx';
import { TextField } from '../text-field.tsx';
import { FormError } from './form-error.tsx';
import { useAction } from './use-action.ts';

/** The second step of a password sign-in when the account has an authenticator app. */
export function CodeStep({ onCode }: { onCode: (code: string) => Promise<void> }) {
  const t = useT();
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = code.replace(/\s+/g, '');
    if (trimmed !== '') run(() => onCode(trimmed));
  };
  return (
    <form onSubmit={submit} noValidate className="form" data-testid="totp-step">
      <h2>{t('secondFactor.title')}</h2>
      <TextField
        label={t('secondFactor.code')}
        name="totp-code"
        inputMode="numeric"
        autoComplete="one-time-code"
        hint={t('secondFactor.hint')}
        required
        value={code}
        onChange={setCode}
      />
      <FormError error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('secondFactor.submit')}
        </button>
      </div>
    </form>
  );
}
