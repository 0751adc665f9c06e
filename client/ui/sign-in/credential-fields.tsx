import { useT } from '../i18n/i18n-provider.tsx';
import { TextField } from '../text-field.tsx';

/** The email field of every sign-in form: one label, one validation message. */
export function EmailField(props: {
  value: string;
  onChange: (email: string) => void;
  invalid: boolean;
  /**
   * `username` where a password follows, so password managers pair the two; `username webauthn`
   * where the browser may also offer passkeys in its suggestions.
   */
  autoComplete?: 'email' | 'username' | 'username webauthn';
  readOnly?: boolean;
}) {
  const t = useT();
  return (
    <TextField
      label={t('signIn.email')}
      name="email"
      type="email"
      autoComplete={props.autoComplete ?? 'email'}
      spellCheck={false}
      required
      readOnly={props.readOnly ?? false}
      value={props.value}
      onChange={props.onChange}
      error={props.invalid ? t('validation.email') : undefined}
    />
  );
}

/** A password being chosen: the rules in plain words beside it, the server's refusal under it. */
export function NewPasswordField(props: { label: string; value: string; onChange: (password: string) => void; error: string | undefined }) {
  const t = useT();
  return (
    <TextField
      label={props.label}
      name="new-password"
      type="password"
      autoComplete="new-password"
      required
      value={props.value}
      onChange={props.onChange}
      hint={t('signUp.passwordRules')}
      error={props.error}
    />
  );
}
