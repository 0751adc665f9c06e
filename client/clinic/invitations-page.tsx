import { useState } from 'react';
import { can } from '../../sync-rules/permissions.ts';
import { listInvitations, resendInvitation, revokeInvitation, type Invitation, type SentInvitation } from '../sync/invitations-api.ts';
import { useSession } from '../sync/session-provider.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { useFormat, useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { reasonOf, useApi, useApiQuery } from '../ui/use-api.ts';
import { InviteForm } from './invite-form.tsx';

/** What the page last did, said in the live region under the form. */
type Outcome = { kind: 'sent' | 'resent' | 'notMailed' | 'revoked'; email: string } | { kind: 'failed'; reason: NoticeReason };

const open = (invitation: Invitation) => invitation.status === 'pending' || invitation.status === 'expired';

/** Owners and admins invite staff and patients by email, and follow, resend or withdraw the invitations. */
export function InvitationsPage() {
  const t = useT();
  const session = useSession();
  const organizationId = session.context.organizationId;
  if (organizationId === null) {
    return (
      <>
        <PageTitle>{t('invitations.title')}</PageTitle>
        <p className="callout">{t('header.noOrganization')}</p>
      </>
    );
  }
  if (!can(session.context, 'members.manage')) {
    return (
      <>
        <PageTitle>{t('invitations.title')}</PageTitle>
        <p className="callout">{t('invitations.notAllowed')}</p>
      </>
    );
  }
  return <Invitations organizationId={organizationId} />;
}

function Invitations({ organizationId }: { organizationId: string }) {
  const t = useT();
  const api = useApi();
  const [invitations, reload] = useApiQuery(listInvitations, `invitations:${organizationId}`);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Invitation | null>(null);

  const sent = ({ invitation, emailSent }: SentInvitation, kind: 'sent' | 'resent') => {
    setOutcome({ kind: emailSent ? kind : 'notMailed', email: invitation.email });
    reload();
  };

  const act = (invitation: Invitation, run: (token: string) => Promise<void>) => {
    setBusyId(invitation.id);
    api(run)
      .catch((error: unknown) => setOutcome({ kind: 'failed', reason: reasonOf(error) }))
      .finally(() => {
        setBusyId(null);
        reload();
      });
  };

  const resend = (invitation: Invitation) => act(invitation, async (token) => sent(await resendInvitation(token, invitation.id), 'resent'));
  const revoke = (invitation: Invitation) =>
    act(invitation, async (token) => {
      await revokeInvitation(token, invitation.id);
      setOutcome({ kind: 'revoked', email: invitation.email });
    });

  return (
    <>
      <PageTitle>{t('invitations.title')}</PageTitle>
      <InviteForm onSent={(result) => sent(result, 'sent')} />
      <p className={outcome?.kind === 'failed' || outcome?.kind === 'notMailed' ? 'callout' : 'muted'} role="status" data-testid="invitations-outcome">
        {outcome === null ? '' : outcome.kind === 'failed' ? reasonText(t, outcome.reason) : t(`invitations.outcome.${outcome.kind}`, { email: outcome.email })}
      </p>

      <h2>{t('invitations.listTitle')}</h2>
      {invitations.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {invitations.status === 'failed' && (
        <p className="callout">
          {reasonText(t, invitations.reason)}{' '}
          <button type="button" className="small" onClick={reload}>
            {t('invitations.retry')}
          </button>
        </p>
      )}
      {invitations.status === 'ready' && invitations.value.length === 0 && <p className="muted">{t('invitations.empty')}</p>}
      {invitations.status === 'ready' && invitations.value.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">{t('invitations.listTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('invitations.email')}</th>
              <th scope="col">{t('invitations.name')}</th>
              <th scope="col">{t('invitations.invitedAs')}</th>
              <th scope="col">{t('invitations.status')}</th>
              <th scope="col">{t('invitations.expires')}</th>
              <th scope="col">{t('invitations.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {invitations.value.map((invitation) => (
              <InvitationRow
                key={invitation.id}
                invitation={invitation}
                busy={busyId === invitation.id}
                onResend={() => resend(invitation)}
                onRevoke={() => setRevoking(invitation)}
              />
            ))}
          </tbody>
        </table>
      )}

      <ConfirmDialog
        open={revoking !== null}
        title={t('invitations.revokeTitle', { email: revoking?.email ?? '' })}
        confirmLabel={t('invitations.revokeConfirm')}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking !== null) revoke(revoking);
          setRevoking(null);
        }}
      >
        <p>{t('invitations.revokeExplain')}</p>
      </ConfirmDialog>
    </>
  );
}

function InvitationRow({ invitation, busy, onResend, onRevoke }: { invitation: Invitation; busy: boolean; onResend: () => void; onRevoke: () => void }) {
  const t = useT();
  const { date } = useFormat();
  return (
    <tr data-testid="invitation-row" data-status={invitation.status} data-email={invitation.email}>
      <th scope="row">{invitation.email}</th>
      <td>{invitation.name ?? ''}</td>
      <td>{invitation.kind === 'member' && invitation.role !== null ? t(`invitations.role.${invitation.role}`) : t('invitations.kind.patient')}</td>
      <td>
        <span className={`status status-${invitation.status}`}>{t(`invitations.status.${invitation.status}`)}</span>
      </td>
      <td>{invitation.status === 'accepted' && invitation.acceptedAt !== null ? t('invitations.acceptedOn', { date: date(invitation.acceptedAt) }) : date(invitation.expiresAt)}</td>
      <td>
        {open(invitation) && (
          <span className="row-actions">
            <button type="button" className="small" disabled={busy} onClick={onResend}>
              {t('invitations.resend')}
            </button>
            <button type="button" className="small danger" disabled={busy} onClick={onRevoke}>
              {t('invitations.revoke')}
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}
