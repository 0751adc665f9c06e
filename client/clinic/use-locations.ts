import { useQuery } from '@rocicorp/zero/react';
import { useMemo } from 'react';
import { queries } from '../../sync-rules/queries.ts';
import { useSession } from '../sync/session-provider.tsx';
import { useOutboxEntries } from '../sync/sync-provider.tsx';
import { withPendingWrites, type LocationView } from './pending-locations.ts';

/** The clinic's locations as this device knows them, unconfirmed writes included. */
export function useLocations(): { locations: LocationView[]; complete: boolean } {
  const session = useSession();
  const [rows, details] = useQuery(queries.clinic.locations());
  const entries = useOutboxEntries();
  const organizationId = session.context.organizationId ?? '';
  const locations = useMemo(() => withPendingWrites(rows, entries, organizationId), [rows, entries, organizationId]);
  return { locations, complete: details.type === 'complete' };
}
