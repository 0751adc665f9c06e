import { useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { useT } from '../i18n/i18n-provider.tsx';
import { TextField } from '../text-field.tsx';
import { EmailField, NewPasswordField } from './credential-fields.tsx';
import { FormError } from './form-error.tsx';
import { identityErrorKey, isPasswordProblem } from './identity-messages.ts';
import { useAction } from './use-action.ts';

const ZEmail = z.email();

type Props = {
  email: string;
  onEmailChange: (email: string) => void;
  sharedDeviceField: ReactNode;
  onSignUp: (input: { name: string; email: string; password: string }) => Promise<void>;
};

/** A new account: name, email and a password, with the rules said in plain words before anyone gets them wrong. */
export function SignUpStep({ email, onEmailChange, sharedDeviceField, onSignUp }: Props) {
  const t = useT();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<{ name: boolean; email: boolean; password: boolean }>({ name: false, email: false, password: false });
  const { busy, error, run } = useAction();
  // The server's password codes belong next to the field they are about.
  const passwordProblem = isPasswordProblem(error) ? t(identityErrorKey(error)) : undefined;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsedEmail = ZEmail.safeParse(email.trim());
    const next = { name: name.trim() === '', email: !parsedEmail.success, password: password === '' };
    setProblems(next);
    if (next.name || next.email || next.password || !parsedEmail.success) return;
    run(() => onSignUp({ name: name.trim(), email: parsedEmail.data, password }));
  };

  return (
    <form onSubmit={onSubmit} noValidate className="form" data-testid="sign-up">
      <h2>{t('signUp.title')}</h2>
      <TextField label={t('signUp.name')} name="name" autoComplete="name" required value={name} onChange={setName} error={problems.name ? t('validation.required') : undefined} />
      <EmailField value={email} onChange={onEmailChange} invalid={problems.email} />
      <NewPasswordField
        label={t('signUp.password')}
        value={password}
        onChange={setPassword}
        error={passwordProblem ?? (problems.password ? t('validation.required') : undefined)}
      />
      {sharedDeviceField}
      {passwordProblem === undefined && <FormError error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('signUp.submit')}
        </button>
      </div>
    </form>
  );
}
