import { Link, useNavigate, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { useSession } from '../sync/session-provider.tsx';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { useApiQuery } from '../ui/use-api.ts';
import { readPendingConsents } from './consents-api.ts';

/** Pages where the person is already answering what the gate would ask. */
const ANSWERING = /\/(consents|onboarding)(\/|$)/;

/**
 * What the Portal asks before anything else. New terms or a clinic's materially changed notice:
 * a modal prompt that cannot be dismissed, only followed to the consents page, where the text is
 * read and acknowledged. A clinic joined but not onboarded: a callout (the person may finish later;
 * until then the clinic sees nothing of them). Checked again on every navigation.
 */
export function ConsentGate() {
  const t = useT();
  const session = useSession();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const [pending] = useApiQuery(readPendingConsents, `pending:${session.context.principalId}:${pathname}`);
  const dialog = useRef<HTMLDialogElement>(null);
  const answering = ANSWERING.test(pathname);
  const value = pending.status === 'ready' ? pending.value : null;
  const changed = value !== null && (value.terms || value.clinics.some((clinic) => clinic.notice));
  const blocking = changed && !answering;

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (blocking && !element.open) element.showModal();
    if (!blocking && element.open) element.close();
  }, [blocking]);

  const onboarding = value === null || answering ? [] : value.clinics.filter((clinic) => clinic.onboarding);
  return (
    <>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby="consent-gate-title" data-testid="consent-gate"
        onCancel={(event) => { event.preventDefault(); }}>
        <h2 id="consent-gate-title">{t('consent.gate.title')}</h2>
        <ul>
          {value?.terms === true && <li>{t('consent.gate.terms')}</li>}
          {value?.clinics.filter((clinic) => clinic.notice).map((clinic) => (
            <li key={clinic.organization.id}>{t('consent.gate.notice', { clinic: clinic.organization.name })}</li>
          ))}
        </ul>
        <div className="actions">
          <button type="button" className="primary" autoFocus onClick={() => { void navigate({ to: '/consents' }); }}>
            {t('consent.gate.review')}
          </button>
        </div>
      </dialog>
      {onboarding.map((clinic) => (
        <p key={clinic.organization.id} className="callout" data-testid="consent-gate-onboarding">
          {t('consent.gate.onboarding', { clinic: clinic.organization.name })}{' '}
          <Link to="/onboarding/$organizationId" params={{ organizationId: clinic.organization.id }}>{t('consent.gate.finish')}</Link>
        </p>
      ))}
    </>
  );
}
