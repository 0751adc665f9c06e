import { useQuery } from '@rocicorp/zero/react';
import { useMemo } from 'react';
import { queries } from '../../sync-rules/queries.ts';
import { useSession } from '../sync/session-provider.tsx';
import { useOutboxEntries } from '../sync/sync-provider.tsx';
import { withPendingPatients, type PatientView } from './pending-patients.ts';

/** The clinic's patient records as this device knows them, unconfirmed writes included. */
export function usePatients(): { patients: PatientView[]; complete: boolean } {
  const session = useSession();
  const [rows, details] = useQuery(queries.clinic.patients());
  const entries = useOutboxEntries();
  const organizationId = session.context.organizationId ?? '';
  const patients = useMemo(() => withPendingPatients(rows, entries, organizationId), [rows, entries, organizationId]);
  return { patients, complete: details.type === 'complete' };
}
