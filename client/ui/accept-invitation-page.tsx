import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { acceptInvitation, previewInvitation, type AcceptedInvitation, type InvitationPreview } from '../sync/invitations-api.ts';
import { rememberPendingLink } from '../sync/pending-link.ts';
import { useSession, useSessionState } from '../sync/session-provider.tsx';
import { useFormat, useT } from './i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from './notice-reason.ts';
import { PageTitle } from './page-title.tsx';
import { SignOutButton } from './sign-out-button.tsx';
import { reasonOf, useApi } from './use-api.ts';
import { useLinkPreview } from './use-link-preview.ts';
import { useLinkParam } from './raw-address.ts';
import { ReasonAlert } from './reason-alert.tsx';

type Kind = InvitationPreview['kind'];

type State =
  | { step: 'loading' }
  | { step: 'problem'; reason: NoticeReason }
  | { step: 'offer'; preview: InvitationPreview; busy: boolean; failure: NoticeReason | null }
  | { step: 'done'; accepted: AcceptedInvitation };

// Refusals that no retry changes: the page explains them instead of offering the button again.
const FINAL: readonly NoticeReason[] = [
  'NOT_FOUND', 'INVALID_INPUT', 'FORBIDDEN', 'INVITATION_WRONG_ACCOUNT', 'INVITATION_EXPIRED', 'INVITATION_USED',
  'INVITATION_REVOKED', 'INVITATION_SUPERSEDED', 'ALREADY_MEMBER',
];

type Props = {
  /** The invitations this app accepts; one of the other kind is sent to the app it belongs to. */
  kind: Kind;
  /** The app's next step once accepted (the Clinic moves to that clinic); the done state shows otherwise. */
  onAccepted?: (accepted: AcceptedInvitation) => Promise<void>;
};

/**
 * `/<app>/invitations/accept?token=…`, the link of an invitation email: shows the invitee the clinic
 * (and the role) before they accept, and explains a link that no longer works.
 */
export function AcceptInvitationPage({ kind, onAccepted }: Props) {
  const t = useT();
  const api = useApi();
  const token = useLinkParam('token');
  const [state, setState] = useState<State>({ step: 'loading' });

  useLinkPreview(token, previewInvitation, setState, () => { setState({ step: 'problem', reason: 'NOT_FOUND' }); });

  const accept = (preview: InvitationPreview) => {
    if (token === null) return;
    setState({ step: 'offer', preview, busy: true, failure: null });
    api((bearer) => acceptInvitation(bearer, token))
      .then(async (accepted) => {
        setState({ step: 'done', accepted });
        await onAccepted?.(accepted);
      })
      .catch((error: unknown) => {
        const reason = reasonOf(error);
        setState(FINAL.includes(reason) ? { step: 'problem', reason } : { step: 'offer', preview, busy: false, failure: reason });
      });
  };

  return (
    <section className="invitation-accept" data-testid="invitation-accept" data-step={state.step}>
      <PageTitle>{t('invitations.acceptTitle')}</PageTitle>
      {state.step === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {state.step === 'problem' && token !== null && <InvitationProblem reason={state.reason} token={token} />}
      {state.step === 'problem' && token === null && <p className="callout">{t('invitations.linkInvalid')}</p>}
      {state.step === 'offer' && state.preview.kind !== kind && token !== null && <OtherApp kind={state.preview.kind} token={token} />}
      {state.step === 'offer' && state.preview.kind === kind && (
        <Offer preview={state.preview} busy={state.busy} failure={state.failure} onAccept={() => accept(state.preview)} />
      )}
      {state.step === 'done' && (
        <>
          <p className="callout success" data-testid="invitation-accepted">
            {state.accepted.kind === 'member'
              ? t('invitations.acceptedMember', { clinic: state.accepted.organization.name })
              : t('invitations.acceptedPatient', { clinic: state.accepted.organization.name })}
          </p>
          <Link to="/">{t('invitations.goHome')}</Link>
        </>
      )}
    </section>
  );
}

function Offer({ preview, busy, failure, onAccept }: { preview: InvitationPreview; busy: boolean; failure: NoticeReason | null; onAccept: () => void }) {
  const t = useT();
  const format = useFormat();
  const clinic = preview.organization.name;
  const until = format.longDate(preview.expiresAt);
  return (
    <>
      <h2 data-testid="invitation-clinic">{clinic}</h2>
      <p>
        {preview.kind === 'member' && preview.role !== null
          ? t('invitations.offerMember', { clinic, role: t(`invitations.role.${preview.role}`) })
          : t('invitations.offerPatient', { clinic })}
      </p>
      <p className="muted">{t('invitations.validUntil', { date: until })}</p>
      <ReasonAlert reason={failure} />
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={onAccept}>
          {busy ? t('invitations.accepting') : t('invitations.accept')}
        </button>
      </div>
    </>
  );
}

/** Staff accept in the Clinic app, patients in the Portal: a plain link, since it is another app. */
function OtherApp({ kind, token }: { kind: Kind; token: string }) {
  const t = useT();
  const href = `/${kind === 'member' ? 'clinic' : 'portal'}/invitations/accept?${new URLSearchParams({ token }).toString()}`;
  return (
    <>
      <p className="callout">{kind === 'member' ? t('invitations.forClinicApp') : t('invitations.forPortalApp')}</p>
      <a className="button primary" href={href}>
        {kind === 'member' ? t('invitations.openClinicApp') : t('invitations.openPortalApp')}
      </a>
    </>
  );
}

/**
 * Why the link does not work. Security: for the wrong account, never which address the invitation
 * was for (the server does not say either); only that the invited address must be used. The link is
 * kept, so that signing out and in with that address comes back here.
 */
function InvitationProblem({ reason, token }: { reason: NoticeReason; token: string }) {
  const t = useT();
  const session = useSession();
  const { app } = useSessionState();
  const wrongAccount = reason === 'INVITATION_WRONG_ACCOUNT';
  useEffect(() => {
    if (wrongAccount) rememberPendingLink(app, localStorage, { kind: 'invitation', value: token }, Date.now());
  }, [wrongAccount, app, token]);
  if (wrongAccount) {
    return (
      <>
        <p className="callout" data-testid="invitation-problem" data-reason={reason}>
          {t('invitations.wrongAccount', { email: session.human.email })}
        </p>
        <div className="actions">
          <SignOutButton />
        </div>
      </>
    );
  }
  const message = reason === 'NOT_FOUND' || reason === 'INVALID_INPUT' ? t('invitations.linkInvalid') : reasonText(t, reason);
  return (
    <>
      <p className="callout" data-testid="invitation-problem" data-reason={reason}>
        {message}
      </p>
      <Link to="/">{t('invitations.goHome')}</Link>
    </>
  );
}
