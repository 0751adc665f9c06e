import { useState } from 'react';
import { useT } from '../i18n/i18n-provider.tsx';
import { FormError } from './form-error.tsx';
import { useAction } from './use-action.ts';

export type CheckEmailReason = 'verify' | 'link' | 'reset';

/** After an email was sent: what to do next, and (for a confirmation link) sending it again. */
export function CheckEmailStep({ reason, email, onResend }: { reason: CheckEmailReason; email: string; onResend: (() => Promise<void>) | null }) {
  const t = useT();
  const { busy, error, run } = useAction();
  const [resent, setResent] = useState(false);
  return (
    <section className="form" data-testid="check-email" data-reason={reason} aria-live="polite">
      <h2>{t('checkEmail.title')}</h2>
      <p>{t(`checkEmail.${reason}`, { email })}</p>
      {onResend !== null && (
        <div className="actions">
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              run(async () => {
                await onResend();
                setResent(true);
              })
            }
          >
            {t('checkEmail.resend')}
          </button>
          {resent && <p className="hint">{t('checkEmail.resent')}</p>}
        </div>
      )}
      <FormError error={error} />
    </section>
  );
}
