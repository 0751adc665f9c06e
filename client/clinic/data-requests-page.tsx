import { useId, useState } from 'react';
import { can } from '../../sync-rules/permissions.ts';
import { decideDataRequest, listClinicDataRequests, type DataRequestDecision, type QueuedDataRequest } from '../sync/data-requests-api.ts';
import { useSession } from '../sync/session-provider.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { useFormat, useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { ReasonAlert } from '../ui/reason-alert.tsx';
import { reasonOf, useApi, useApiQuery } from '../ui/use-api.ts';

/** What the clinic is about to decide, in the dialog. */
type Deciding = { request: QueuedDataRequest; outcome: DataRequestDecision['outcome'] };

/**
 * The clinic's queue of its patients' export and erasure requests. The clinic is the controller:
 * its patient managers fulfil each, or decline it with the reason the patient will read.
 */
export function DataRequestsPage() {
  const t = useT();
  const session = useSession();
  const organizationId = session.context.organizationId;
  if (organizationId === null || !can(session.context, 'patients.manage')) {
    return (
      <>
        <PageTitle>{t('dsar.clinicPage.title')}</PageTitle>
        <p className="callout">{organizationId === null ? t('header.noOrganization') : t('dsar.clinicPage.notAllowed')}</p>
      </>
    );
  }
  return <Queue organizationId={organizationId} />;
}

function Queue({ organizationId }: { organizationId: string }) {
  const t = useT();
  const api = useApi();
  const reasonId = useId();
  const [requests, reload] = useApiQuery(listClinicDataRequests, `clinic-data-requests:${organizationId}`);
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [failure, setFailure] = useState<NoticeReason | null>(null);
  const [done, setDone] = useState<DataRequestDecision['outcome'] | null>(null);

  const close = () => {
    setDeciding(null);
    setReason('');
    setReasonMissing(false);
  };

  const confirm = () => {
    if (deciding === null) return;
    if (deciding.outcome === 'declined' && reason.trim() === '') {
      setReasonMissing(true);
      return;
    }
    const decision: DataRequestDecision = deciding.outcome === 'declined' ? { outcome: 'declined', reason: reason.trim() } : { outcome: 'fulfilled' };
    const { id } = deciding.request;
    close();
    setFailure(null);
    setDone(null);
    api((token) => decideDataRequest(token, id, decision))
      .then(() => setDone(decision.outcome))
      .catch((error: unknown) => setFailure(reasonOf(error)))
      .finally(reload);
  };

  return (
    <>
      <PageTitle>{t('dsar.clinicPage.title')}</PageTitle>
      <p>{t('dsar.clinicPage.intro')}</p>
      <p className="muted" role="status" data-testid="clinic-data-requests-outcome">
        {done === null ? '' : t(`dsar.clinicPage.done.${done}`)}
      </p>
      <ReasonAlert reason={failure} />
      {requests.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {requests.status === 'failed' && (
        <p className="callout">
          {reasonText(t, requests.reason)}{' '}
          <button type="button" className="small" onClick={reload}>
            {t('dsar.retry')}
          </button>
        </p>
      )}
      {requests.status === 'ready' && requests.value.length === 0 && <p className="muted">{t('dsar.clinicPage.empty')}</p>}
      {requests.status === 'ready' && requests.value.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">{t('dsar.clinicPage.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dsar.patient')}</th>
              <th scope="col">{t('dsar.kindLabel')}</th>
              <th scope="col">{t('dsar.statusLabel')}</th>
              <th scope="col">{t('dsar.requestedAt')}</th>
              <th scope="col">{t('dsar.answer')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.value.map((request) => (
              <QueueRow key={request.id} request={request} onDecide={(outcome) => setDeciding({ request, outcome })} />
            ))}
          </tbody>
        </table>
      )}

      <ConfirmDialog
        open={deciding !== null}
        title={deciding === null ? '' : t(`dsar.clinicPage.confirmTitle.${deciding.outcome}`)}
        confirmLabel={deciding === null ? '' : t(`dsar.clinicPage.${deciding.outcome === 'fulfilled' ? 'fulfil' : 'decline'}`)}
        onCancel={close}
        onConfirm={confirm}
      >
        {deciding?.outcome === 'fulfilled' && <p>{t(`dsar.clinicPage.fulfilExplain.${deciding.request.kind}`)}</p>}
        {deciding?.outcome === 'declined' && (
          <div className="field">
            <label htmlFor={reasonId}>{t('dsar.clinicPage.reasonLabel')}</label>
            <textarea
              id={reasonId}
              value={reason}
              rows={4}
              maxLength={2000}
              aria-required
              aria-invalid={reasonMissing || undefined}
              aria-describedby={`${reasonId}-hint`}
              onChange={(event) => setReason(event.target.value)}
              data-testid="decline-reason-input"
            />
            <p id={`${reasonId}-hint`} className={reasonMissing ? 'field-error' : 'hint'}>
              {reasonMissing ? t('dsar.clinicPage.reasonRequired') : t('dsar.clinicPage.reasonHint')}
            </p>
          </div>
        )}
      </ConfirmDialog>
    </>
  );
}

function QueueRow({ request, onDecide }: { request: QueuedDataRequest; onDecide: (outcome: DataRequestDecision['outcome']) => void }) {
  const t = useT();
  const { date } = useFormat();
  return (
    <tr data-testid="clinic-data-request" data-kind={request.kind} data-status={request.status}>
      <th scope="row">{request.patientName ?? t('dsar.clinicPage.noName')}</th>
      <td>{t(`dsar.kind.${request.kind}`)}</td>
      <td>
        <span className={`status status-${request.status}`}>{t(`dsar.status.${request.status}`)}</span>
      </td>
      <td>{date(request.requestedAt)}</td>
      <td>
        {request.canDecide && (
          <span className="row-actions">
            <button type="button" className="small" onClick={() => onDecide('fulfilled')} data-testid="fulfil-request">
              {t('dsar.clinicPage.fulfil')}
            </button>
            <button type="button" className="small danger" onClick={() => onDecide('declined')} data-testid="decline-request">
              {t('dsar.clinicPage.decline')}
            </button>
          </span>
        )}
        {request.status === 'requested' && !request.canDecide && <span className="muted">{t('dsar.clinicPage.cannotDecide')}</span>}
        {request.status === 'declined' && request.reason !== null && <span>{request.reason}</span>}
        {request.decidedAt !== null && request.status === 'fulfilled' && <span className="muted">{t('dsar.clinicPage.fulfilledOn', { date: date(request.decidedAt) })}</span>}
      </td>
    </tr>
  );
}
