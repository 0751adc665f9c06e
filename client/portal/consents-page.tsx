import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useSession } from '../sync/session-provider.tsx';
import { useFormat, useLocale, useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { ReasonAlert } from '../ui/reason-alert.tsx';
import { reasonOf, useApi, useApiQuery } from '../ui/use-api.ts';
import { purposeTitle, trailAction, trailSource } from './consent-labels.ts';
import { acknowledge, recordChoice, readMyConsents, type AcknowledgeInput, type ClinicConsents, type MyConsents } from './consents-api.ts';
import { Checkbox } from './onboarding-page.tsx';
import { NoticeText } from './notice-text.tsx';
import './consents.css';

/**
 * `/portal/consents`: per clinic, its current privacy notice and the optional purposes as toggles
 * that take effect at once; the platform terms; and the full trail of every grant, withdrawal and
 * acknowledgement, with its date, the version it refers to and where it was recorded.
 */
export function ConsentsPage() {
  const t = useT();
  const session = useSession();
  const [consents, reload] = useApiQuery(readMyConsents, `consents:${session.context.principalId}`);
  return (
    <section data-testid="consents" data-state={consents.status}>
      <PageTitle>{t('consent.page.title')}</PageTitle>
      <p>{t('consent.page.intro')}</p>
      {consents.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {consents.status === 'failed' && (
        <p className="callout">
          {reasonText(t, consents.reason)}{' '}
          <button type="button" className="small" onClick={reload}>{t('consent.retry')}</button>
        </p>
      )}
      {consents.status === 'ready' && <ConsentsView consents={consents.value} reload={reload} />}
    </section>
  );
}

function ConsentsView({ consents, reload }: { consents: MyConsents; reload: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const api = useApi();
  const [failure, setFailure] = useState<NoticeReason | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // A toggle shows its new state while it is saved; the reloaded ledger then says what holds.
  const [shown, setShown] = useState<Record<string, boolean>>({});
  useEffect(() => { setShown({}); }, [consents]);

  const run = (key: string, call: (token: string) => Promise<unknown>) => {
    setBusy(key);
    setFailure(null);
    api(call).then(
      () => { setBusy(null); reload(); },
      (error: unknown) => {
        setBusy(null);
        setFailure(reasonOf(error));
        setShown((current) => Object.fromEntries(Object.entries(current).filter(([entry]) => entry !== key)));
      },
    );
  };
  const toggle = (organizationId: string, purpose: string, granted: boolean) => {
    const key = `${organizationId}:${purpose}`;
    setShown((current) => ({ ...current, [key]: granted }));
    run(key, (token) => recordChoice(token, { organizationId, purpose, granted }));
  };
  const ack = (input: AcknowledgeInput) => run(`ack:${input.purpose}`, (token) => acknowledge(token, input));

  return (
    <>
      <ReasonAlert reason={failure} />
      {consents.clinics.length === 0 && <p className="muted">{t('consent.page.noClinics')}</p>}
      {consents.clinics.map((clinic) => (
        <ClinicSection key={clinic.organization.id} clinic={clinic} consents={consents} busy={busy} shown={shown}
          onToggle={(purpose, granted) => toggle(clinic.organization.id, purpose, granted)}
          onAcknowledge={(version) => ack({ purpose: 'privacy_notice', organizationId: clinic.organization.id, version })} />
      ))}
      {consents.terms !== null && (
        <section className="consent-clinic" aria-labelledby="terms-title" data-testid="consents-terms">
          <h2 id="terms-title">{t('consent.terms.title', { version: String(consents.terms.version) })}</h2>
          <details open={consents.terms.acknowledgement.outstanding}>
            <summary>{t('consent.terms.read')}</summary>
            <NoticeText text={consents.terms.text[locale]} />
          </details>
          {consents.terms.acknowledgement.outstanding ? (
            <button type="button" className="primary" disabled={busy !== null} data-testid="accept-terms"
              onClick={() => { if (consents.terms !== null) ack({ purpose: 'platform_terms', version: consents.terms.version }); }}>
              {t('consent.terms.accept')}
            </button>
          ) : (
            <p className="muted">{t('consent.terms.accepted', { version: String(consents.terms.acknowledgement.acknowledgedVersion ?? '') })}</p>
          )}
        </section>
      )}
      <Trail consents={consents} />
      <p><Link to="/">{t('consent.goHome')}</Link></p>
      <span className="visually-hidden" aria-live="polite">{busy === null ? '' : t('consent.saving')}</span>
    </>
  );
}

function ClinicSection({ clinic, consents, busy, shown, onToggle, onAcknowledge }: {
  clinic: ClinicConsents; consents: MyConsents; busy: string | null; shown: Record<string, boolean>;
  onToggle: (purpose: string, granted: boolean) => void; onAcknowledge: (version: number) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormat();
  const titleId = `clinic-${clinic.organization.id}`;
  return (
    <section className="consent-clinic" aria-labelledby={titleId} data-testid="consents-clinic" data-organization-id={clinic.organization.id}>
      <h2 id={titleId}>{clinic.organization.name}</h2>
      {!clinic.profileShared && (
        <p className="callout">
          {t('consent.page.notJoined')}{' '}
          <Link to="/onboarding/$organizationId" params={{ organizationId: clinic.organization.id }}>{t('consent.page.finish')}</Link>
        </p>
      )}
      {clinic.notice === null ? (
        <p className="muted">{t('consent.notice.none')}</p>
      ) : (
        <>
          <details open={clinic.acknowledgement.outstanding && clinic.profileShared}>
            <summary>{t('consent.notice.title', { clinic: clinic.organization.name, version: String(clinic.notice.version) })}</summary>
            <p className="muted">{t('consent.notice.published', { date: format.date(clinic.notice.publishedAt) })}</p>
            <NoticeText text={clinic.notice.text[locale]} />
          </details>
          {clinic.profileShared && clinic.acknowledgement.outstanding && (
            <button type="button" className="primary" disabled={busy !== null} data-testid="acknowledge-notice"
              onClick={() => { if (clinic.notice !== null) onAcknowledge(clinic.notice.version); }}>
              {t('consent.notice.acknowledge')}
            </button>
          )}
        </>
      )}
      <fieldset className="consent-block" disabled={!clinic.profileShared}>
        <legend>{t('consent.page.choices')}</legend>
        {clinic.choices.map((choice) => {
          const purpose = consents.purposes.find((candidate) => candidate.code === choice.purpose);
          return (
            <Checkbox key={choice.purpose} name={`${clinic.organization.id}-${choice.purpose}`}
              label={purposeTitle(consents.purposes, choice.purpose, locale)} hint={purpose?.description[locale]}
              checked={shown[`${clinic.organization.id}:${choice.purpose}`] ?? choice.granted} disabled={busy !== null} onChange={(granted) => onToggle(choice.purpose, granted)} />
          );
        })}
      </fieldset>
    </section>
  );
}

function Trail({ consents }: { consents: MyConsents }) {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormat();
  const clinicName = (id: string | null) => (id === null ? t('consent.trail.platform') : consents.clinics.find((clinic) => clinic.organization.id === id)?.organization.name ?? t('consent.trail.formerClinic'));
  return (
    <section aria-labelledby="trail-title" data-testid="consent-trail">
      <h2 id="trail-title">{t('consent.trail.title')}</h2>
      {consents.trail.length === 0 ? <p className="muted">{t('consent.trail.empty')}</p> : (
        <div className="table-scroll">
          <table className="consent-trail">
            <thead>
              <tr>
                <th scope="col">{t('consent.trail.when')}</th>
                <th scope="col">{t('consent.trail.where')}</th>
                <th scope="col">{t('consent.trail.purpose')}</th>
                <th scope="col">{t('consent.trail.action')}</th>
                <th scope="col">{t('consent.trail.version')}</th>
                <th scope="col">{t('consent.trail.source')}</th>
              </tr>
            </thead>
            <tbody>
              {consents.trail.map((entry) => (
                <tr key={entry.id} data-testid="consent-trail-row" data-purpose={entry.purpose} data-action={entry.action}>
                  <td>{format.dateTime(entry.recordedAt)}</td>
                  <td>{clinicName(entry.organizationId)}</td>
                  <td>{purposeTitle(consents.purposes, entry.purpose, locale)}</td>
                  <td>{trailAction(t, consents.purposes, entry)}</td>
                  <td>{entry.documentVersion === null ? '—' : String(entry.documentVersion)}</td>
                  <td>{trailSource(t, entry.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
