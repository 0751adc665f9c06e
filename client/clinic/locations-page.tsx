import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { LOCATION_STATUSES, type LocationStatus } from '../../sync-rules/mutators/locations.ts';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { newWriteId } from '../sync/write-schemas.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { restoreFocusIfLost } from '../ui/restore-focus.ts';
import { useWrite } from '../ui/use-write.ts';
import { LocationRow } from './location-row.tsx';
import type { LocationView } from './pending-locations.ts';
import { useLocations } from './use-locations.ts';

type Filter = 'all' | LocationStatus;

const isFilter = (value: string): value is Filter => value === 'all' || (LOCATION_STATUSES as readonly string[]).includes(value);

export function LocationsPage() {
  const t = useT();
  const session = useSession();
  const write = useWrite();
  const { locations, complete } = useLocations();
  const filterId = useId();
  const [filter, setFilter] = useState<Filter>('all');
  const [closing, setClosing] = useState<LocationView | null>(null);
  const canManage = can(session.context, 'locations.manage');
  const shown = filter === 'all' ? locations : locations.filter((location) => location.status === filter);

  const setStatus = (location: LocationView, status: LocationStatus) => {
    void write('location.setStatus', { writeId: newWriteId(), id: location.id, status }).then(() => {
      // The button just used is replaced (Deactivate ⇄ Reactivate) or gone (Close): stay on the row.
      requestAnimationFrame(() => restoreFocusIfLost(document.querySelector<HTMLElement>(`[data-location-id="${location.id}"] th`)));
    });
  };

  if (session.context.organizationId === null) {
    return (
      <>
        <PageTitle>{t('locations.title')}</PageTitle>
        <p className="callout">{t('header.noOrganization')}</p>
      </>
    );
  }

  return (
    <>
      <PageTitle>{t('locations.title')}</PageTitle>
      <div className="toolbar">
        {canManage ? (
          <Link to="/locations/new" className="button primary">
            {t('locations.new')}
          </Link>
        ) : (
          <p className="muted">{t('locations.readOnly')}</p>
        )}
        <span className="filter">
          <label htmlFor={filterId}>{t('locations.filter')}</label>
          <select
            id={filterId}
            value={filter}
            onChange={(event) => {
              if (isFilter(event.target.value)) setFilter(event.target.value);
            }}
          >
            <option value="all">{t('locations.filterAll')}</option>
            {LOCATION_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </span>
      </div>

      {shown.length === 0 ? (
        <p className="muted" data-testid="locations-empty">
          {!complete && locations.length === 0 ? t('common.loading') : filter === 'all' ? t('locations.empty') : t('locations.emptyFiltered')}
        </p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">{t('locations.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('locations.name')}</th>
              <th scope="col">{t('locations.slug')}</th>
              <th scope="col">{t('locations.city')}</th>
              <th scope="col">{t('locations.country')}</th>
              <th scope="col">{t('locations.status')}</th>
              {canManage && <th scope="col">{t('locations.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((location) => (
              <LocationRow key={location.id} location={location} canManage={canManage} onStatus={setStatus} onClose={setClosing} />
            ))}
          </tbody>
        </table>
      )}

      <ConfirmDialog
        open={closing !== null}
        title={t('locations.closeTitle', { name: closing?.name ?? '' })}
        confirmLabel={t('locations.closeConfirm')}
        onCancel={() => setClosing(null)}
        onConfirm={() => {
          if (closing !== null) setStatus(closing, 'closed');
          setClosing(null);
        }}
      >
        <p>{t('locations.closeExplain')}</p>
      </ConfirmDialog>
    </>
  );
}
