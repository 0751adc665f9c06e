import { Link } from '@tanstack/react-router';
import { useId, useMemo, useState } from 'react';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { DataTable, type DataTableColumn } from '../ui/data-table.tsx';
import { INTL_LOCALES } from '../ui/i18n/format.ts';
import { useLocale, useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { birthDateText, matchesSearch } from '../ui/person-details.ts';
import '../ui/person-fields.css';
import { patientName, type PatientView } from './pending-patients.ts';
import { usePatients } from './use-patients.ts';

const STATUSES = ['active', 'inactive'] as const;
type Filter = 'all' | (typeof STATUSES)[number];
const isFilter = (value: string): value is Filter => value === 'all' || (STATUSES as readonly string[]).includes(value);

/** The clinic's patients, from the synced slice: found by name, filtered by status, offline too. */
export function PatientsPage() {
  const t = useT();
  const session = useSession();
  if (session.context.organizationId === null || !can(session.context, 'patients.read')) {
    return (
      <>
        <PageTitle>{t('patients.title')}</PageTitle>
        <p className="callout">{session.context.organizationId === null ? t('header.noOrganization') : t('patients.notAllowed')}</p>
      </>
    );
  }
  return <PatientList />;
}

function PatientList() {
  const t = useT();
  const { locale } = useLocale();
  const session = useSession();
  const { patients, complete } = usePatients();
  const searchId = useId();
  const filterId = useId();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const shown = useMemo(
    () => patients.filter((patient) =>
      (filter === 'all' || patient.status === filter) && matchesSearch(patientName(patient.profile) ?? '', search)),
    [patients, filter, search],
  );

  const columns: DataTableColumn<PatientView>[] = [
    {
      id: 'name',
      header: t('patients.name'),
      width: 'minmax(12rem, 2fr)',
      cell: (patient) => (
        <>
          <Link to="/patients/$patientId" params={{ patientId: patient.id }}>
            {patientName(patient.profile) ?? t('patients.notShared')}
          </Link>
          {patient.pending && <span className="tag pending-tag">{t('patients.pending')}</span>}
        </>
      ),
    },
    {
      id: 'birthDate',
      header: t('patients.birthDate'),
      cell: (patient) => {
        const born = patient.profile?.birthDate ?? null;
        return born === null ? '' : birthDateText(born, INTL_LOCALES[locale]);
      },
    },
    { id: 'contact', header: t('patients.contact'), width: 'minmax(10rem, 2fr)', cell: (patient) => patient.profile?.email ?? patient.profile?.phone ?? '' },
    { id: 'externalRef', header: t('patients.externalRef'), cell: (patient) => patient.externalRef ?? '' },
    {
      id: 'status',
      header: t('patients.status'),
      cell: (patient) => <span className={`status status-${patient.status}`}>{t(`status.${patient.status}`)}</span>,
    },
  ];

  return (
    <>
      <PageTitle>{t('patients.title')}</PageTitle>
      <div className="toolbar">
        <span className="row-actions">
          {can(session.context, 'patients.manage') && (
            <Link to="/patients/new" className="button primary">
              {t('patients.new')}
            </Link>
          )}
          {can(session.context, 'patients.delete') && (
            <Link to="/patients/deleted" className="button">
              {t('patients.trashLink')}
            </Link>
          )}
        </span>
        <span className="filter">
          <label htmlFor={searchId}>{t('patients.search')}</label>
          <input id={searchId} type="search" value={search} autoComplete="off" spellCheck={false} onChange={(event) => setSearch(event.target.value)} />
        </span>
        <span className="filter">
          <label htmlFor={filterId}>{t('patients.filter')}</label>
          <select
            id={filterId}
            value={filter}
            onChange={(event) => {
              if (isFilter(event.target.value)) setFilter(event.target.value);
            }}
          >
            <option value="all">{t('patients.filterAll')}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </span>
      </div>
      {/* Announced as the search narrows the list, so a screen-reader user knows what is shown. */}
      <p className="muted" role="status" data-testid="patients-count">
        {!complete && patients.length === 0 ? t('common.loading') : t('patients.count', { count: shown.length })}
      </p>
      {shown.length === 0 ? (
        complete || patients.length > 0 ? (
          <p className="empty-state" data-testid="patients-empty">
            {patients.length === 0 ? t('patients.empty') : t('patients.emptyFiltered')}
          </p>
        ) : null
      ) : (
        <DataTable
          caption={t('patients.title')}
          columns={columns}
          rows={shown}
          rowKey={(patient) => patient.id}
          rowTestId="patient-row"
          rowAttributes={(patient) => ({ 'data-patient-id': patient.id, 'data-status': patient.status, 'data-pending': String(patient.pending) })}
        />
      )}
    </>
  );
}
