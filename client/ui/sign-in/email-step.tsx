import { useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { EmailField } from './credential-fields.tsx';
import { FormError } from './form-error.tsx';
import { useAction } from './use-action.ts';

const ZEmail = z.email();

type Props = {
  title: string;
  hint: string;
  submitLabel: string;
  email: string;
  onEmailChange: (email: string) => void;
  sharedDeviceField?: ReactNode;
  onSubmit: (email: string) => Promise<void>;
  testId: string;
};

/** Only an email address: for a sign-in link, or a password-reset link. */
export function EmailStep({ title, hint, submitLabel, email, onEmailChange, sharedDeviceField, onSubmit, testId }: Props) {
  const [emailError, setEmailError] = useState(false);
  const { busy, error, run } = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZEmail.safeParse(email.trim());
    setEmailError(!parsed.success);
    if (parsed.success) run(() => onSubmit(parsed.data));
  };

  return (
    <form onSubmit={submit} noValidate className="form" data-testid={testId}>
      <h2>{title}</h2>
      <p className="hint">{hint}</p>
      <EmailField value={email} onChange={onEmailChange} invalid={emailError} />
      {sharedDeviceField}
      <FormError error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
