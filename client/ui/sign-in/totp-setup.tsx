import { useState, type FormEvent } from 'react';
import type { TwoFactorEnrolment } from '../../sync/identity-api.ts';
import { useT } from '../i18n/i18n-provider.tsx';
import { TextField } from '../text-field.tsx';
import { FormError } from './form-error.tsx';
import { useAction } from './use-action.ts';

function secretOf(totpURI: string): string | null {
  try {
    return new URL(totpURI).searchParams.get('secret');
  } catch {
    return null;
  }
}

/**
 * The authenticator key as text (the otpauth address and its key, to paste or type into an app),
 * the one-time backup codes, and the first code to confirm the app works.
 */
export function TotpSetup({ enrolment, onConfirm }: { enrolment: TwoFactorEnrolment; onConfirm: (code: string) => Promise<void> }) {
  const t = useT();
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  const secret = secretOf(enrolment.totpURI);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    run(() => onConfirm(code.replace(/\s+/g, '')));
  };

  return (
    <div className="totp-setup" data-testid="totp-setup">
      <p>{t('secondFactor.addKey')}</p>
      <dl className="key-list">
        {secret !== null && (
          <>
            <dt>{t('secondFactor.secret')}</dt>
            <dd>
              <code data-testid="totp-secret">{secret}</code>
            </dd>
          </>
        )}
        <dt>{t('secondFactor.uri')}</dt>
        <dd>
          <code data-testid="totp-uri">{enrolment.totpURI}</code>
        </dd>
      </dl>
      <p>{t('secondFactor.backupCodes')}</p>
      <ul className="backup-codes" data-testid="backup-codes">
        {enrolment.backupCodes.map((backup) => (
          <li key={backup}>
            <code>{backup}</code>
          </li>
        ))}
      </ul>
      <form onSubmit={onSubmit} noValidate className="form">
        <TextField
          label={t('secondFactor.code')}
          name="totp-code"
          inputMode="numeric"
          autoComplete="one-time-code"
          hint={t('secondFactor.confirmHint')}
          required
          value={code}
          onChange={setCode}
        />
        <FormError error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || code.trim() === ''}>
            {t('secondFactor.confirm')}
          </button>
        </div>
      </form>
    </div>
  );
}
