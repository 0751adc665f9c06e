import { useId } from 'react';
import { useSession } from '../sync/session-provider.tsx';
import { useAuthStatus, usePendingCount, useResume } from '../sync/sync-provider.tsx';
import { useT } from './i18n/i18n-provider.tsx';
import { FormError } from './sign-in/form-error.tsx';
import { SignInFlow } from './sign-in/sign-in-flow.tsx';
import { useAction } from './sign-in/use-action.ts';

/**
 * When the sign-in behind this device's session has ended: the app stays open on its local data,
 * writes keep queueing, and signing in again as the same person sends them with the new token.
 */
export function SessionEndedPanel() {
  const t = useT();
  const session = useSession();
  const status = useAuthStatus();
  const pending = usePendingCount();
  const resume = useResume();
  const titleId = useId();
  const { busy, error, run } = useAction();
  if (status.state !== 'ended') return null;
  return (
    <section className="session-ended" data-testid="session-ended" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('sessionEnded.title')}</h2>
      <p>{status.code === 'SECOND_FACTOR_REQUIRED' ? t('sessionEnded.secondFactor') : t('sessionEnded.explain', { email: session.human.email })}</p>
      {pending > 0 && <p className="hint">{t('header.pending', { count: pending })}</p>}
      {session.source === 'identity' ? (
        <SignInFlow fixedEmail={session.human.email} sharedDevice={{ fixed: session.sharedDevice }} complete={resume} />
      ) : (
        <div className="actions">
          <button type="button" className="primary" disabled={busy} onClick={() => run(resume)}>
            {t('connection.signInAgain')}
          </button>
          <FormError error={error} />
        </div>
      )}
    </section>
  );
}
