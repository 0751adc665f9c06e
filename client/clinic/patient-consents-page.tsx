import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { useFormat, useLocale, useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { ReasonAlert } from '../ui/reason-alert.tsx';
import { reasonOf, useApi, useApiQuery } from '../ui/use-api.ts';
import { purposeTitle, trailAction, trailSource } from '../portal/consent-labels.ts';
import { listPurposes, type Purpose } from '../portal/consents-api.ts';
import { readPatientConsents, requestReminder, type PatientConsents } from './consents-api.ts';
import '../portal/consents.css';

/**
 * `/clinic/patients/:patientId/consents` (patients.read): what the patient consents to now in this
 * clinic, whether they acknowledged the notice in force, the clinic-scope trail, and the reminders
 * that were not sent because consent was not held when they were due.
 */
export function PatientConsentsPage() {
  const t = useT();
  const params: { patientId?: string } = useParams({ strict: false });
  const patientId = params.patientId ?? '';
  const [consents, reload] = useApiQuery((token) => readPatientConsents(token, patientId), `patient-consents:${patientId}`);
  const [purposes] = useApiQuery(listPurposes, 'consent-purposes');
  return (
    <section data-testid="patient-consents" data-state={consents.status}>
      <PageTitle>{t('consent.clinic.title')}</PageTitle>
      <p><Link to="/patients/$patientId" params={{ patientId }}>{t('consent.clinic.backToPatient')}</Link></p>
      {consents.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {consents.status === 'failed' && (
        <p className="callout" data-reason={consents.reason}>
          {consents.reason === 'NOT_FOUND' ? t('consent.clinic.notShared') : reasonText(t, consents.reason)}{' '}
          <button type="button" className="small" onClick={reload}>{t('consent.retry')}</button>
        </p>
      )}
      {consents.status === 'ready' && (
        <PatientConsentsView consents={consents.value} purposes={purposes.status === 'ready' ? purposes.value : []} patientId={patientId} reload={reload} />
      )}
    </section>
  );
}

function PatientConsentsView({ consents, purposes, patientId, reload }: { consents: PatientConsents; purposes: Purpose[]; patientId: string; reload: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormat();
  const session = useSession();
  const api = useApi();
  const [state, setState] = useState<{ busy: boolean; failure: NoticeReason | null; sent: boolean }>({ busy: false, failure: null, sent: false });
  const ack = consents.acknowledgement;
  const remind = () => {
    setState({ busy: true, failure: null, sent: false });
    api((token) => requestReminder(token, patientId, 'exercise')).then(
      () => { setState({ busy: false, failure: null, sent: true }); reload(); },
      (error: unknown) => setState({ busy: false, failure: reasonOf(error), sent: false }),
    );
  };
  return (
    <>
      <h2>{t('consent.clinic.now')}</h2>
      <p data-testid="patient-notice-ack" data-outstanding={String(ack.outstanding)}>
        {ack.acknowledgedVersion === null
          ? t('consent.clinic.noticeNever')
          : t('consent.clinic.noticeAcknowledged', { version: String(ack.acknowledgedVersion) })}
        {ack.outstanding && ack.currentVersion !== null ? ` ${t('consent.clinic.noticeOutstanding', { version: String(ack.currentVersion) })}` : ''}
      </p>
      <ul data-testid="patient-choices">
        {consents.choices.map((choice) => (
          <li key={choice.purpose} data-testid="patient-choice" data-purpose={choice.purpose} data-granted={String(choice.granted)}>
            <strong>{purposeTitle(purposes, choice.purpose, locale)}</strong>{': '}
            {choice.granted ? t('consent.clinic.granted') : t('consent.clinic.notGranted')}
            {choice.recordedAt !== null && <span className="muted"> · {format.dateTime(choice.recordedAt)}</span>}
          </li>
        ))}
      </ul>
      {can(session.context, 'patients.manage') && (
        <div className="actions">
          <button type="button" onClick={remind} disabled={state.busy} data-testid="send-reminder">{t('consent.clinic.sendReminder')}</button>
          {state.sent && <span role="status">{t('consent.clinic.reminderQueued')}</span>}
        </div>
      )}
      <ReasonAlert reason={state.failure} />
      <h2>{t('consent.trail.title')}</h2>
      {consents.trail.length === 0 ? <p className="muted">{t('consent.trail.empty')}</p> : (
        <div className="table-scroll">
          <table className="consent-trail" data-testid="patient-trail">
            <thead>
              <tr>
                <th scope="col">{t('consent.trail.when')}</th>
                <th scope="col">{t('consent.trail.purpose')}</th>
                <th scope="col">{t('consent.trail.action')}</th>
                <th scope="col">{t('consent.trail.version')}</th>
                <th scope="col">{t('consent.trail.source')}</th>
              </tr>
            </thead>
            <tbody>
              {consents.trail.map((entry) => (
                <tr key={entry.id} data-testid="patient-trail-row" data-purpose={entry.purpose} data-action={entry.action}>
                  <td>{format.dateTime(entry.recordedAt)}</td>
                  <td>{purposeTitle(purposes, entry.purpose, locale)}</td>
                  <td>{trailAction(t, purposes, entry)}</td>
                  <td>{entry.documentVersion === null ? '—' : String(entry.documentVersion)}</td>
                  <td>{trailSource(t, entry.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('consent.clinic.skippedTitle')}</h2>
      {consents.skipped.length === 0 ? <p className="muted">{t('consent.clinic.skippedNone')}</p> : (
        <ul data-testid="patient-skips">
          {consents.skipped.map((skip) => (
            <li key={skip.id}>
              {format.dateTime(skip.at)} · {purposeTitle(purposes, skip.purpose, locale)} · {skipReason(t, skip.reason)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function skipReason(t: ReturnType<typeof useT>, reason: string): string {
  if (reason === 'withdrawn') return t('consent.clinic.skip.withdrawn');
  if (reason === 'no_account') return t('consent.clinic.skip.noAccount');
  return t('consent.clinic.skip.neverGranted');
}
