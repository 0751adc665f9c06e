import { useId, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { PLATFORM_ROLES, ZPlatformRole, type PlatformRole } from '../../sync-rules/context.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { FormError } from '../ui/sign-in/form-error.tsx';
import { useAction } from '../ui/sign-in/use-action.ts';
import { TextField } from '../ui/text-field.tsx';
import { useApi } from '../ui/use-api.ts';
import { grantOperator, type Operator } from './operators-api.ts';

const ZEmail = z.string().trim().toLowerCase().pipe(z.email());

/** A superadmin grants a platform role to an existing account, by its address. */
export function OperatorGrantForm({ onGranted }: { onGranted: (operator: Operator) => void }) {
  const t = useT();
  const api = useApi();
  const roleId = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<PlatformRole>('support_engineer');
  const [emailProblem, setEmailProblem] = useState(false);
  const [granted, setGranted] = useState<Operator | null>(null);
  const { busy, error, run } = useAction();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZEmail.safeParse(email);
    setEmailProblem(!parsed.success);
    setGranted(null);
    if (!parsed.success) return;
    run(async () => {
      const operator = await api((token) => grantOperator(token, parsed.data, role));
      setEmail('');
      setGranted(operator);
      onGranted(operator);
    });
  };

  return (
    <form className="form inline-form" onSubmit={onSubmit} noValidate aria-labelledby="grant-operator" data-testid="grant-operator">
      <h2 id="grant-operator">{t('operators.grantTitle')}</h2>
      <p className="hint">{t('operators.grantHint')}</p>
      <TextField
        label={t('operators.email')}
        name="email"
        type="email"
        autoComplete="off"
        spellCheck={false}
        required
        value={email}
        onChange={setEmail}
        error={emailProblem ? t('validation.email') : undefined}
      />
      <div className="field">
        <label htmlFor={roleId}>{t('operators.role')}</label>
        <select id={roleId} name="role" value={role} onChange={(event) => setRole(ZPlatformRole.parse(event.target.value))}>
          {PLATFORM_ROLES.map((option) => (
            <option key={option} value={option}>
              {t(`operators.role.${option}`)}
            </option>
          ))}
        </select>
      </div>
      <FormError error={error} />
      {granted !== null && (
        <p role="status" data-testid="operator-granted">
          {t('operators.granted', { name: granted.name })}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('operators.grant')}
        </button>
      </div>
    </form>
  );
}
