import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { signInWithPassword, type PasswordSignIn } from '../../sync/identity-api.ts';
import { useT } from '../i18n/i18n-provider.tsx';
import { TextField } from '../text-field.tsx';
import { EmailField } from './credential-fields.tsx';
import { FormError } from './form-error.tsx';
import { isNotVerified } from './identity-messages.ts';
import { useAction } from './use-action.ts';

const ZEmail = z.email();

type Props = {
  email: string;
  onEmailChange: (email: string) => void;
  emailFixed: boolean;
  sharedDevice: boolean;
  /** A failure from before this form (a link that did not work). */
  initialError: unknown;
  /** The browser may offer passkeys in the email field's suggestions. */
  passkeyAutofill: boolean;
  onPasswordAccepted: (password: string, result: PasswordSignIn) => Promise<void>;
  onResendVerification: () => Promise<void>;
};

/** Email and password; the usual way in. */
export function PasswordStep({ email, onEmailChange, emailFixed, sharedDevice, initialError, passkeyAutofill, onPasswordAccepted, onResendVerification }: Props) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [emailError, setEmailError] = useState(false);
  const { busy, error, run } = useAction();
  const resend = useAction();
  const shown: unknown = error ?? initialError;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZEmail.safeParse(email.trim());
    setEmailError(!parsed.success);
    if (!parsed.success || password === '') return;
    run(async () => {
      const result = await signInWithPassword(parsed.data, password, !sharedDevice);
      await onPasswordAccepted(password, result);
    });
  };

  return (
    <form onSubmit={onSubmit} noValidate className="form" data-testid="password-sign-in">
      <EmailField value={email} onChange={onEmailChange} invalid={emailError} autoComplete={passkeyAutofill ? 'username webauthn' : 'username'} readOnly={emailFixed} />
      <TextField label={t('signIn.password')} name="password" type="password" autoComplete="current-password" required value={password} onChange={setPassword} />
      <FormError error={shown} />
      {isNotVerified(shown) && (
        <div className="actions">
          <button type="button" disabled={resend.busy} onClick={() => resend.run(onResendVerification)}>
            {t('signIn.resendVerification')}
          </button>
          <FormError error={resend.error} />
        </div>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </div>
    </form>
  );
}
