import { useNavigate } from '@tanstack/react-router';
import { useCallback } from 'react';
import type { AcceptedInvitation } from '../sync/invitations-api.ts';
import { useSwitchOrganization } from '../sync/sync-provider.tsx';
import { AcceptInvitationPage } from '../ui/accept-invitation-page.tsx';
import { useNotify } from '../ui/notices.tsx';
import { reasonOf } from '../ui/use-api.ts';

/** A staff invitation: once accepted, the app moves to that clinic, whose data then syncs. */
export function AcceptStaffInvitationPage() {
  const navigate = useNavigate();
  const switchOrganization = useSwitchOrganization();
  const notify = useNotify();
  const onAccepted = useCallback(
    async (accepted: AcceptedInvitation) => {
      // Leave this page first: switching restarts sync, and the pages under it, in the new clinic.
      await navigate({ to: '/' });
      await switchOrganization(accepted.organization.id).catch((error: unknown) => notify({ reason: reasonOf(error), rejected: false }));
    },
    [navigate, switchOrganization, notify],
  );
  return <AcceptInvitationPage kind="member" onAccepted={onAccepted} />;
}
