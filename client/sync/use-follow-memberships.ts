import { useQuery } from '@rocicorp/zero/react';
import { useEffect, useRef } from 'react';
import { queries } from '../../sync-rules/queries.ts';
import { fetchContext } from './identity-api.ts';
import { organizationsFromMemberships, roleDiffers, sameOrganizations } from './organizations.ts';
import { ZAuthContext } from './session.ts';
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

  // A role changed by a manager shows at once: the synced membership differs from what the session
  // believes, so ask the server for the context it now derives (it decides; the rows only hint).
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (session === null || !complete) return;
    const current = rows.find((row) => row.organizationId === session.context.organizationId);
    if (current === undefined) return;
    const synced = { membershipRole: current.role, customRolePermissions: current.customRole?.permissions };
    if (!roleDiffers(session.context, synced)) return;
    const key = `${session.token}|${current.role}|${synced.customRolePermissions?.join(',') ?? ''}`;
    if (asked.current === key) return;
    asked.current = key;
    fetchContext(session.token)
      .then((context) => { signIn({ ...session, context: ZAuthContext.parse(context) }, session.sharedDevice); })
      // Offline or signed out: the next token renewal brings the new context anyway.
      .catch(() => undefined);
  }, [rows, complete, session, signIn]);
}

