import { useQuery } from '@rocicorp/zero/react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { can } from '../../sync-rules/permissions.ts';
import { queries } from '../../sync-rules/queries.ts';
import { listDeletedPatients, restorePatient, type DeletedPatient } from '../sync/patients-api.ts';
import { useSession } from '../sync/session-provider.tsx';
import { useFormat, useT } from '../ui/i18n/i18n-provider.tsx';
import type { NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { ReasonAlert } from '../ui/reason-alert.tsx';
import { reasonOf, useApi, useApiQuery } from '../ui/use-api.ts';

/** Deleted patient records this clinic can still bring back, for holders of patients.delete. */
export function PatientsTrashPage() {
  const t = useT();
  const session = useSession();
  if (session.context.organizationId === null || !can(session.context, 'patients.delete')) {
    return (
      <>
        <PageTitle>{t('patients.trashTitle')}</PageTitle>
        <p className="callout">{session.context.organizationId === null ? t('header.noOrganization') : t('patients.trashNotAllowed')}</p>
      </>
    );
  }
  return <Trash organizationId={session.context.organizationId} />;
}

function Trash({ organizationId }: { organizationId: string }) {
  const t = useT();
  const format = useFormat();
  const api = useApi();
  const [deleted, reload] = useApiQuery(listDeletedPatients, `deleted-patients:${organizationId}`);
  // Who deleted a record, by name when this device knows the clinic's members.
  const [members] = useQuery(queries.clinic.members());
  const [busy, setBusy] = useState<string | null>(null);
  const [reason, setReason] = useState<NoticeReason | null>(null);
  const [restored, setRestored] = useState<{ id: string; name: string } | null>(null);

  const nameOf = (patient: Pick<DeletedPatient, 'givenName' | 'familyName'>) =>
    patient.givenName === null && patient.familyName === null ? t('patients.notShared') : `${patient.givenName ?? ''} ${patient.familyName ?? ''}`.trim();
  const deleterOf = (principalId: string) => members.find((member) => member.principalId === principalId)?.human?.name ?? t('patients.someone');

  const restore = (patient: DeletedPatient) => {
    setBusy(patient.id);
    setReason(null);
    setRestored(null);
    api((token) => restorePatient(token, patient.id)).then(
      () => {
        setBusy(null);
        setRestored({ id: patient.id, name: nameOf(patient) });
        reload();
      },
      (error: unknown) => {
        setBusy(null);
        setReason(reasonOf(error));
      },
    );
  };

  return (
    <>
      <PageTitle>{t('patients.trashTitle')}</PageTitle>
      <p className="muted">{t('patients.trashIntro')}</p>
      <p>
        <Link to="/patients">{t('patients.backToList')}</Link>
      </p>
      <ReasonAlert reason={reason ?? (deleted.status === 'failed' ? deleted.reason : null)} />
      <p role="status" data-testid="trash-status">
        {restored !== null && (
          <>
            {t('patients.restored', { name: restored.name })}{' '}
            <Link to="/patients/$patientId" params={{ patientId: restored.id }}>
              {t('patients.open')}
            </Link>
          </>
        )}
      </p>
      {deleted.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {deleted.status === 'failed' && (
        <button type="button" onClick={reload}>
          {t('patients.retry')}
        </button>
      )}
      {deleted.status === 'ready' && deleted.value.length === 0 && (
        <p className="empty-state" data-testid="trash-empty">
          {t('patients.trashEmpty')}
        </p>
      )}
      {deleted.status === 'ready' && deleted.value.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">{t('patients.trashTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('patients.name')}</th>
              <th scope="col">{t('patients.deletedOn')}</th>
              <th scope="col">{t('patients.deletedBy')}</th>
              <th scope="col">{t('patients.restorableUntil')}</th>
              <th scope="col">{t('patients.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {deleted.value.map((patient) => (
              <tr key={patient.id} data-testid="deleted-patient-row" data-patient-id={patient.id}>
                <th scope="row">{nameOf(patient)}</th>
                <td>{format.dateTime(patient.deletedAt)}</td>
                <td>{deleterOf(patient.deletedBy)}</td>
                <td>{format.date(patient.restorableUntil)}</td>
                <td>
                  <button type="button" className="small" disabled={busy !== null} aria-label={t('patients.restoreNamed', { name: nameOf(patient) })} onClick={() => restore(patient)}>
                    {t('patients.restore')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
