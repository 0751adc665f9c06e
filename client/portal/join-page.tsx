import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { joinShareLink, previewShareLink, type JoinedClinic, type ShareLinkPreview } from '../sync/invitations-api.ts';
import { pendingLinkHref } from '../sync/pending-link.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { TextField } from '../ui/text-field.tsx';
import { reasonOf, useApi } from '../ui/use-api.ts';
import { useLinkPreview } from '../ui/use-link-preview.ts';
import { useLinkParam, useRouterHistory } from '../ui/raw-address.ts';
import { ReasonAlert } from '../ui/reason-alert.tsx';

type State =
  | { step: 'enter' }
  | { step: 'loading' }
  | { step: 'problem'; reason: NoticeReason }
  | { step: 'offer'; preview: ShareLinkPreview; busy: boolean; failure: NoticeReason | null }
  | { step: 'done'; joined: JoinedClinic };

// A refusal no retry changes: the page explains it and offers to enter another code.
const FINAL: readonly NoticeReason[] = ['NOT_FOUND', 'INVALID_INPUT', 'SHARE_LINK_EXPIRED', 'SHARE_LINK_EXHAUSTED', 'SHARE_LINK_REVOKED'];

/**
 * `/portal/join?code=…`, where a clinic's poster (its QR code) leads, or where a patient types the
 * code: shows whose code it is, then joins that clinic.
 */
export function JoinPage() {
  const t = useT();
  const api = useApi();
  const history = useRouterHistory();
  const code = useLinkParam('code');
  const [state, setState] = useState<State>({ step: code === null ? 'enter' : 'loading' });

  useLinkPreview(code, previewShareLink, setState, () => { setState({ step: 'enter' }); });

  // A typed code goes into the address, as a scanned one arrives: one way to read it.
  const show = (typed: string | null) =>
    history.push(typed === null ? `${import.meta.env.BASE_URL}join` : pendingLinkHref({ kind: 'join', value: typed }, import.meta.env.BASE_URL));

  const join = (preview: ShareLinkPreview) => {
    if (code === null) return;
    setState({ step: 'offer', preview, busy: true, failure: null });
    api((token) => joinShareLink(token, code)).then(
      (joined) => setState({ step: 'done', joined }),
      (error: unknown) => {
        const reason = reasonOf(error);
        setState(FINAL.includes(reason) ? { step: 'problem', reason } : { step: 'offer', preview, busy: false, failure: reason });
      },
    );
  };

  return (
    <section data-testid="join" data-step={state.step}>
      <PageTitle>{t('join.title')}</PageTitle>
      {state.step === 'enter' && <EnterCode onCode={show} />}
      {state.step === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {state.step === 'problem' && (
        <>
          <p className="callout" data-testid="join-problem" data-reason={state.reason}>
            {state.reason === 'NOT_FOUND' || state.reason === 'INVALID_INPUT' ? t('join.unknownCode') : reasonText(t, state.reason)}
          </p>
          <div className="actions">
            <button type="button" onClick={() => show(null)}>
              {t('join.otherCode')}
            </button>
            <Link to="/" className="button">
              {t('join.goHome')}
            </Link>
          </div>
        </>
      )}
      {state.step === 'offer' && (
        <>
          <h2 data-testid="join-clinic">{state.preview.organization.name}</h2>
          {state.preview.alreadyJoined ? (
            <>
              <p className="callout">{t('join.alreadyJoined', { clinic: state.preview.organization.name })}</p>
              <Link to="/">{t('join.goHome')}</Link>
            </>
          ) : (
            <>
              <p>{t('join.offer', { clinic: state.preview.organization.name })}</p>
              <ReasonAlert reason={state.failure} />
              <div className="actions">
                <button type="button" className="primary" disabled={state.busy} onClick={() => join(state.preview)}>
                  {state.busy ? t('join.joining') : t('join.join')}
                </button>
              </div>
            </>
          )}
        </>
      )}
      {state.step === 'done' && (
        <>
          <p className="callout" data-testid="join-done">
            {state.joined.alreadyJoined
              ? t('join.alreadyJoined', { clinic: state.joined.organization.name })
              : t('join.joined', { clinic: state.joined.organization.name })}
          </p>
          {/* Joining ends in the consent block: the clinic sees nothing of the person before it. */}
          <div className="actions">
            <Link to="/onboarding/$organizationId" params={{ organizationId: state.joined.organization.id }} className="button primary">
              {t('join.finishJoining')}
            </Link>
            <Link to="/">{t('join.goHome')}</Link>
          </div>
        </>
      )}
    </section>
  );
}

function EnterCode({ onCode }: { onCode: (code: string) => void }) {
  const t = useT();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = code.trim();
    // The server reads it in any case, with or without the dash or spaces.
    if (!/^[A-Za-z0-9 -]{8,32}$/.test(typed)) {
      setProblem(t('join.codeShape'));
      return;
    }
    onCode(typed);
  };
  return (
    <form className="form" onSubmit={submit} noValidate data-testid="join-code-form">
      <p>{t('join.enterHint')}</p>
      <TextField label={t('join.code')} name="code" required autoComplete="off" spellCheck={false} value={code} onChange={setCode} error={problem} />
      <div className="actions">
        <button type="submit" className="primary">
          {t('join.continue')}
        </button>
      </div>
    </form>
  );
}
