import { useQuery } from '@rocicorp/zero/react';
import { useEffect } from 'react';
import { queries } from '../../sync-rules/queries.ts';
import { organizationsFromMemberships, sameOrganizations } from './organizations.ts';
import { useSessionState } from './session-provider.tsx';

/**
 * Keeps the session's list of the person's clinics equal to their synced memberships: a real
 * sign-in starts without it, and memberships change. Stored with the session, so the header and
 * the clinic switcher have it offline too.
 */
export function useFollowMemberships(): void {
  const { session, signIn } = useSessionState();
  const [rows, details] = useQuery(queries.me.memberships());
  const complete = details.type === 'complete';
  useEffect(() => {
    // Only a complete answer from the server may replace what we know (offline, Zero has a partial one).
    if (session === null || !complete) return;
    const organizations = organizationsFromMemberships(rows);
    if (sameOrganizations(organizations, session.organizations)) return;
    signIn({ ...session, organizations }, session.sharedDevice);
  }, [rows, complete, session, signIn]);
}
