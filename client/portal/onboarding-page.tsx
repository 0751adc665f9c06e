import { Link, useParams } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useSession } from '../sync/session-provider.tsx';
import { useLocale, useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { ReasonAlert } from '../ui/reason-alert.tsx';
import { reasonOf, useApi, useApiQuery } from '../ui/use-api.ts';
import { completeOnboarding, readMyConsents, type MyConsents } from './consents-api.ts';
import { NoticeText } from './notice-text.tsx';
import './consents.css';

/**
 * `/portal/onboarding/:organizationId`, after joining a clinic: the consent block. The terms (if the
 * current version is not accepted yet), the clinic's privacy notice, and its optional purposes as
 * toggles, off unless turned on. Only when it is submitted does the clinic see the person's profile.
 */
export function OnboardingPage() {
  const t = useT();
  const session = useSession();
  const params: { organizationId?: string } = useParams({ strict: false });
  const organizationId = params.organizationId ?? '';
  const [consents, reload] = useApiQuery(readMyConsents, `consents:${session.context.principalId}`);
  return (
    <section data-testid="onboarding" data-state={consents.status}>
      <PageTitle>{t('consent.onboarding.title')}</PageTitle>
      {consents.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {consents.status === 'failed' && (
        <p className="callout">
          {reasonText(t, consents.reason)}{' '}
          <button type="button" className="small" onClick={reload}>{t('consent.retry')}</button>
        </p>
      )}
      {consents.status === 'ready' && <ConsentBlock consents={consents.value} organizationId={organizationId} />}
    </section>
  );
}

type Submitted = { status: 'editing' } | { status: 'busy' } | { status: 'done' };

function ConsentBlock({ consents, organizationId }: { consents: MyConsents; organizationId: string }) {
  const t = useT();
  const { locale } = useLocale();
  const api = useApi();
  const clinic = consents.clinics.find((candidate) => candidate.organization.id === organizationId);
  const [acceptTerms, setAcceptTerms] = useState(false);
  const [readNotice, setReadNotice] = useState(false);
  const [choices, setChoices] = useState<Record<string, boolean>>({});
  const [problems, setProblems] = useState<{ terms?: string; notice?: string }>({});
  const [failure, setFailure] = useState<NoticeReason | null>(null);
  const [submitted, setSubmitted] = useState<Submitted>({ status: 'editing' });

  if (clinic === undefined) {
    return (
      <p className="callout" data-testid="onboarding-not-patient">
        {t('consent.onboarding.notPatient')} <Link to="/">{t('consent.goHome')}</Link>
      </p>
    );
  }
  const termsNeeded = consents.terms !== null && consents.terms.acknowledgement.outstanding;
  const noticeNeeded = clinic.acknowledgement.outstanding;
  if (submitted.status === 'done' || (clinic.profileShared && !termsNeeded && !noticeNeeded)) {
    return (
      <div data-testid="onboarding-done">
        <p className="callout" role="status">{t('consent.onboarding.done', { clinic: clinic.organization.name })}</p>
        <div className="actions">
          {/* Joining ends with the person's own details: what every clinic of theirs will see. */}
          <Link to="/profile" className="button primary">{t('consent.onboarding.completeProfile')}</Link>
          <Link to="/consents" className="button">{t('consent.page.title')}</Link>
          <Link to="/" className="button">{t('consent.goHome')}</Link>
        </div>
      </div>
    );
  }
  if (clinic.notice === null) {
    return <p className="callout" data-testid="onboarding-no-notice">{t('consent.onboarding.noNotice', { clinic: clinic.organization.name })}</p>;
  }
  const notice = clinic.notice;
  const optional = consents.purposes.filter((purpose) => purpose.requirement === 'optional' && purpose.scope === 'organization');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = {
      ...(termsNeeded && !acceptTerms ? { terms: t('consent.onboarding.termsRequired') } : {}),
      ...(noticeNeeded && !readNotice ? { notice: t('consent.onboarding.noticeRequired') } : {}),
    };
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setSubmitted({ status: 'busy' });
    setFailure(null);
    api((token) => completeOnboarding(token, {
      organizationId,
      platformTermsVersion: termsNeeded && consents.terms !== null ? consents.terms.version : null,
      privacyNoticeVersion: noticeNeeded ? notice.version : null,
      choices: Object.fromEntries(optional.map((purpose) => [purpose.code, choices[purpose.code] ?? false])),
    })).then(
      () => setSubmitted({ status: 'done' }),
      (error: unknown) => {
        setFailure(reasonOf(error));
        setSubmitted({ status: 'editing' });
      },
    );
  };

  return (
    <form className="form consent-block" onSubmit={submit} noValidate data-testid="consent-block">
      <p>{t('consent.onboarding.intro', { clinic: clinic.organization.name })}</p>
      {termsNeeded && consents.terms !== null && (
        <fieldset data-testid="consent-terms">
          <legend>{t('consent.terms.title', { version: String(consents.terms.version) })}</legend>
          <NoticeText text={consents.terms.text[locale]} />
          <Checkbox label={t('consent.onboarding.acceptTerms')} checked={acceptTerms} onChange={setAcceptTerms} error={problems.terms} name="accept-terms" />
        </fieldset>
      )}
      <fieldset data-testid="consent-notice">
        <legend>{t('consent.notice.title', { clinic: clinic.organization.name, version: String(notice.version) })}</legend>
        <NoticeText text={notice.text[locale]} />
        {noticeNeeded
          ? <Checkbox label={t('consent.onboarding.readNotice')} checked={readNotice} onChange={setReadNotice} error={problems.notice} name="read-notice" />
          : <p className="muted">{t('consent.notice.acknowledged')}</p>}
      </fieldset>
      <fieldset data-testid="consent-optional">
        <legend>{t('consent.onboarding.optionalTitle')}</legend>
        <p className="hint">{t('consent.onboarding.optionalHint')}</p>
        {optional.map((purpose) => (
          <Checkbox key={purpose.code} name={`purpose-${purpose.code}`} label={purpose.title[locale]} hint={purpose.description[locale]}
            checked={choices[purpose.code] ?? false} onChange={(on) => setChoices((current) => ({ ...current, [purpose.code]: on }))} />
        ))}
      </fieldset>
      <ReasonAlert reason={failure} />
      <div className="actions">
        <button type="submit" className="primary" disabled={submitted.status === 'busy'}>
          {submitted.status === 'busy' ? t('consent.onboarding.submitting') : t('consent.onboarding.submit')}
        </button>
      </div>
    </form>
  );
}

type CheckboxProps = { label: string; checked: boolean; onChange: (checked: boolean) => void; name: string; hint?: string | undefined; error?: string | undefined; disabled?: boolean };

/** A labelled checkbox whose hint and error are read out with it. */
export function Checkbox({ label, checked, onChange, name, hint, error, disabled = false }: CheckboxProps) {
  const id = `consent-${name}`;
  const describedBy = [hint === undefined ? null : `${id}-hint`, error === undefined ? null : `${id}-error`].filter((x) => x !== null).join(' ');
  return (
    <div className="consent-choice">
      <input id={id} type="checkbox" name={name} checked={checked} disabled={disabled} onChange={(event) => onChange(event.target.checked)}
        aria-invalid={error === undefined ? undefined : true} aria-describedby={describedBy === '' ? undefined : describedBy} />
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && <p id={`${id}-hint`} className="hint">{hint}</p>}
      {error !== undefined && <p id={`${id}-error`} className="field-error hint">{error}</p>}
    </div>
  );
}
