import { useState } from 'react';
import { askForDataRequest, downloadDataExport, listMyDataRequests, type DataRequestKind, type ExportFormat, type MyDataRequest } from '../sync/data-requests-api.ts';
import { useSession } from '../sync/session-provider.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { useFormat, useLocale, useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { ReasonAlert } from '../ui/reason-alert.tsx';
import { reasonOf, useApi, useApiQuery } from '../ui/use-api.ts';

/** Hands a downloaded file to the browser under a name, as a link the person clicked would. */
function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The patient's requests about their data: a copy (export) or erasure, asked of every clinic that
 * holds a record of them. Each clinic decides its own; the page shows each answer, and offers the
 * export's download while it is available.
 */
export function DataRequestsPage() {
  const t = useT();
  const api = useApi();
  const { locale } = useLocale();
  const session = useSession();
  const [requests, reload] = useApiQuery(listMyDataRequests, `data-requests:${session.context.principalId}`);
  const [asking, setAsking] = useState<DataRequestKind | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<NoticeReason | null>(null);
  const [asked, setAsked] = useState<DataRequestKind | null>(null);

  const ask = (kind: DataRequestKind) => {
    setBusy(true);
    setFailure(null);
    api((token) => askForDataRequest(token, kind))
      .then(() => setAsked(kind))
      .catch((error: unknown) => setFailure(reasonOf(error)))
      .finally(() => {
        setBusy(false);
        reload();
      });
  };

  const download = (request: MyDataRequest, format: ExportFormat) => {
    setFailure(null);
    api((token) => downloadDataExport(token, request.id, format, locale))
      .then((blob) => saveFile(blob, `restartix-export-${request.requestedAt.slice(0, 10)}.${format}`))
      .catch((error: unknown) => {
        setFailure(reasonOf(error));
        reload();
      });
  };

  return (
    <>
      <PageTitle>{t('dsar.portal.title')}</PageTitle>
      <p>{t('dsar.portal.intro')}</p>
      <div className="row-actions">
        <button type="button" disabled={busy} onClick={() => setAsking('export')} data-testid="ask-export">
          {t('dsar.portal.askExport')}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => setAsking('erasure')} data-testid="ask-erasure">
          {t('dsar.portal.askErasure')}
        </button>
      </div>
      <p className="muted" role="status" data-testid="data-requests-outcome">
        {asked === null ? '' : t(`dsar.portal.asked.${asked}`)}
      </p>
      <ReasonAlert reason={failure} />

      <h2>{t('dsar.portal.listTitle')}</h2>
      {requests.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {requests.status === 'failed' && (
        <p className="callout">
          {reasonText(t, requests.reason)}{' '}
          <button type="button" className="small" onClick={reload}>
            {t('dsar.retry')}
          </button>
        </p>
      )}
      {requests.status === 'ready' && requests.value.length === 0 && <p className="muted">{t('dsar.portal.empty')}</p>}
      {requests.status === 'ready' && requests.value.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">{t('dsar.portal.listTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dsar.clinic')}</th>
              <th scope="col">{t('dsar.kindLabel')}</th>
              <th scope="col">{t('dsar.statusLabel')}</th>
              <th scope="col">{t('dsar.requestedAt')}</th>
              <th scope="col">{t('dsar.answer')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.value.map((request) => (
              <MyRequestRow key={request.id} request={request} onDownload={(format) => download(request, format)} />
            ))}
          </tbody>
        </table>
      )}

      <ConfirmDialog
        open={asking !== null}
        title={asking === null ? '' : t(`dsar.portal.confirmTitle.${asking}`)}
        confirmLabel={asking === null ? '' : t(`dsar.portal.confirm.${asking}`)}
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          if (asking !== null) ask(asking);
          setAsking(null);
        }}
      >
        <p>{asking === null ? '' : t(`dsar.portal.confirmExplain.${asking}`)}</p>
      </ConfirmDialog>
    </>
  );
}

function MyRequestRow({ request, onDownload }: { request: MyDataRequest; onDownload: (format: ExportFormat) => void }) {
  const t = useT();
  const { date, dateTime } = useFormat();
  return (
    <tr data-testid="my-data-request" data-kind={request.kind} data-status={request.status} data-clinic={request.organizationName}>
      <th scope="row">{request.organizationName}</th>
      <td>{t(`dsar.kind.${request.kind}`)}</td>
      <td>
        <span className={`status status-${request.status}`}>{t(`dsar.status.${request.status}`)}</span>
      </td>
      <td>{date(request.requestedAt)}</td>
      <td>
        {request.status === 'declined' && request.reason !== null && <span data-testid="decline-reason">{request.reason}</span>}
        {request.exportAvailableUntil !== null && (
          <span className="row-actions">
            <button type="button" className="small" onClick={() => onDownload('json')} data-testid="download-json">
              {t('dsar.portal.downloadJson')}
            </button>
            <button type="button" className="small" onClick={() => onDownload('html')} data-testid="download-html">
              {t('dsar.portal.downloadHtml')}
            </button>
            <span className="muted">{t('dsar.portal.availableUntil', { date: dateTime(request.exportAvailableUntil) })}</span>
          </span>
        )}
        {request.status === 'fulfilled' && request.kind === 'export' && request.exportAvailableUntil === null && <span className="muted">{t('dsar.portal.exportGone')}</span>}
        {request.status === 'fulfilled' && request.kind === 'erasure' && <span className="muted">{t('dsar.portal.erased')}</span>}
      </td>
    </tr>
  );
}
