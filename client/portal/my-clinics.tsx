import { Link } from '@tanstack/react-router';
import { listMyClinics } from '../sync/invitations-api.ts';
import { useSession } from '../sync/session-provider.tsx';
import { useFormat, useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText } from '../ui/notice-reason.ts';
import { useApiQuery } from '../ui/use-api.ts';

/** The clinics the patient joined (by a poster's code or an invitation), read from the server. */
export function MyClinics() {
  const t = useT();
  const format = useFormat();
  const session = useSession();
  const [clinics, reload] = useApiQuery(listMyClinics, `my-clinics:${session.context.principalId}`);
  return (
    <section aria-labelledby="my-clinics-title" data-testid="my-clinics" data-state={clinics.status}>
      <h2 id="my-clinics-title">{t('join.myClinics')}</h2>
      {clinics.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {clinics.status === 'failed' && (
        <p className="muted">
          {clinics.reason === 'NETWORK' ? t('join.clinicsOffline') : reasonText(t, clinics.reason)}{' '}
          <button type="button" className="small" onClick={reload}>
            {t('join.retry')}
          </button>
        </p>
      )}
      {clinics.status === 'ready' && clinics.value.length === 0 && <p className="muted">{t('join.noClinics')}</p>}
      {clinics.status === 'ready' && clinics.value.length > 0 && (
        <ul className="clinic-list">
          {clinics.value.map((clinic) => (
            <li key={clinic.id} data-testid="my-clinic">
              <strong>{clinic.name}</strong> <span className="muted">{t('join.since', { date: format.date(clinic.joinedAt) })}</span>
            </li>
          ))}
        </ul>
      )}
      <Link to="/join">{t('join.enterCode')}</Link>
    </section>
  );
}
