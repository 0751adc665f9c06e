import { Link } from '@tanstack/react-router';
import type { LocationStatus } from '../../sync-rules/mutators/locations.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import type { LocationView } from './pending-locations.ts';

type Props = {
  location: LocationView;
  canManage: boolean;
  onStatus: (location: LocationView, status: LocationStatus) => void;
  onClose: (location: LocationView) => void;
};

export function LocationRow({ location, canManage, onStatus, onClose }: Props) {
  const t = useT();
  // A closed location is final: no edit, no status change (the mutators refuse them too).
  const actionable = canManage && location.status !== 'closed';
  return (
    <tr data-testid="location-row" data-location-id={location.id} data-status={location.status} data-pending={String(location.pending)}>
      <th scope="row" tabIndex={-1}>
        {location.name}
        {location.pending && <span className="tag pending-tag">{t('locations.pending')}</span>}
      </th>
      <td>{location.slug}</td>
      <td>{location.city}</td>
      <td>{location.country}</td>
      <td>
        <span className={`status status-${location.status}`}>{t(`status.${location.status}`)}</span>
      </td>
      {canManage && (
        <td>
          {actionable && (
            <div className="row-actions">
              <Link to="/locations/$locationId/edit" params={{ locationId: location.id }} className="button small">
                {t('locations.edit')}
              </Link>
              {location.status === 'active' ? (
                <button type="button" className="small" onClick={() => onStatus(location, 'inactive')}>
                  {t('locations.deactivate')}
                </button>
              ) : (
                <button type="button" className="small" onClick={() => onStatus(location, 'active')}>
                  {t('locations.reactivate')}
                </button>
              )}
              <button type="button" className="small danger" onClick={() => onClose(location)}>
                {t('locations.close')}
              </button>
            </div>
          )}
        </td>
      )}
    </tr>
  );
}
