import { useQuery } from '@rocicorp/zero/react';
import { Link } from '@tanstack/react-router';
import { queries } from '../../sync-rules/queries.ts';
import { useFormat, useT } from '../ui/i18n/i18n-provider.tsx';
import '../ui/person-fields.css';

/**
 * "My clinics" from the person's own synced slice (works offline): each clinic that keeps a record
 * of them, since when, its status, and whether joining still needs the consent step.
 */
export function MyPatientRecords() {
  const t = useT();
  const format = useFormat();
  const [records, details] = useQuery(queries.me.patientRecords());
  return (
    <section aria-labelledby="my-records-title" data-testid="my-patient-records" className="account-section">
      <h2 id="my-records-title">{t('patients.myRecordsTitle')}</h2>
      {records.length === 0 ? (
        <p className="muted" data-testid="my-patient-records-empty">
          {details.type === 'complete' ? t('patients.myRecordsNone') : t('common.loading')}
        </p>
      ) : (
        <ul className="record-list">
          {records.map((record) => (
            <li key={record.id} data-testid="my-patient-record" data-organization-id={record.organizationId}>
              <strong>{record.organization?.name ?? t('patients.unknownClinic')}</strong>
              <span className="muted">
                {t('patients.since', { date: format.date(record.createdAt) })} · {t(`status.${record.status}`)}
              </span>
              {record.profileSharedAt === null && (
                <span>
                  <span className="hint">{t('patients.finishJoiningHint')}</span>{' '}
                  <Link to="/onboarding/$organizationId" params={{ organizationId: record.organizationId }} className="button small primary">
                    {t('patients.finishJoining')}
                  </Link>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <Link to="/profile">{t('profile.link')}</Link>
    </section>
  );
}
