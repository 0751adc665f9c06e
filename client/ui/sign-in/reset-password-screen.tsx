import { useState, type FormEvent } from 'react';
import { resetPassword } from '../../sync/identity-api.ts';
import { useT } from '../i18n/i18n-provider.tsx';
import { PageTitle } from '../page-title.tsx';
import { NewPasswordField } from './credential-fields.tsx';
import { FormError } from './form-error.tsx';
import { identityErrorKey, isPasswordProblem } from './identity-messages.ts';
import { useAction } from './use-action.ts';

type Props = {
  /** From the reset link: its token, or better-auth's error when the link was refused. */
  link: { token: string } | { error: string };
  onDone: () => void;
};

/** Where a password-reset email lands: choose the new password, then sign in with it. */
export function ResetPasswordScreen({ link, onDone }: Props) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  const passwordProblem = isPasswordProblem(error) ? t(identityErrorKey(error)) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!('token' in link) || password === '') return;
    const { token } = link;
    run(async () => {
      await resetPassword(token, password);
      setDone(true);
    });
  };

  return (
    <div className="sign-in" data-testid="reset-password">
      <PageTitle>{t('resetPassword.title')}</PageTitle>
      {'error' in link ? (
        <FormError error={link.error} />
      ) : done ? (
        <p className="callout" role="status">
          {t('resetPassword.done')}
        </p>
      ) : (
        <form onSubmit={submit} noValidate className="form">
          <NewPasswordField label={t('resetPassword.password')} value={password} onChange={setPassword} error={passwordProblem} />
          {passwordProblem === undefined && <FormError error={error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('resetPassword.submit')}
            </button>
          </div>
        </form>
      )}
      <div className="actions">
        <button type="button" onClick={onDone}>
          {t('resetPassword.toSignIn')}
        </button>
      </div>
    </div>
  );
}
