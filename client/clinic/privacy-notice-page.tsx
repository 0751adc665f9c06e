import { useEffect, useState, type FormEvent } from 'react';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { useFormat, useLocale, useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { ReasonAlert } from '../ui/reason-alert.tsx';
import { TextField } from '../ui/text-field.tsx';
import { reasonOf, useApi, useApiQuery } from '../ui/use-api.ts';
import { RestError } from '../sync/rest-api.ts';
import { Checkbox } from '../portal/onboarding-page.tsx';
import { NoticeText } from '../portal/notice-text.tsx';
import { previewClinicNotice, publishClinicNotice, readClinicNotice, type NoticeState } from './consents-api.ts';
import '../portal/consents.css';

/**
 * `/clinic/privacy-notice`: the clinic's privacy notice. Members read the version in force and the
 * history; those who manage people fill the platform template's placeholders, pick its optional
 * sections, preview, and publish a new version, saying whether patients must acknowledge it again.
 */
export function PrivacyNoticePage() {
  const t = useT();
  const [state, reload] = useApiQuery(readClinicNotice, 'clinic-notice');
  return (
    <section data-testid="privacy-notice" data-state={state.status}>
      <PageTitle>{t('notice.clinic.title')}</PageTitle>
      {state.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {state.status === 'failed' && <p className="callout">{reasonText(t, state.reason)}</p>}
      {state.status === 'ready' && <NoticeEditor state={state.value} reload={reload} />}
    </section>
  );
}

const LABELS: Record<string, 'notice.placeholder.clinic_name' | 'notice.placeholder.dpo_contact' | 'notice.placeholder.retention_period' | 'notice.placeholder.other_processors'> = {
  clinic_name: 'notice.placeholder.clinic_name',
  dpo_contact: 'notice.placeholder.dpo_contact',
  retention_period: 'notice.placeholder.retention_period',
  other_processors: 'notice.placeholder.other_processors',
};

function NoticeEditor({ state, reload }: { state: NoticeState; reload: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormat();
  const session = useSession();
  const api = useApi();
  const manages = can(session.context, 'members.manage');
  const template = state.template;
  const [values, setValues] = useState<Record<string, string>>(() => state.current?.values ?? { clinic_name: state.organizationName });
  const [sections, setSections] = useState<string[]>(() => state.current?.sections ?? []);
  const [material, setMaterial] = useState(state.current === null);
  const [preview, setPreview] = useState<{ en: string; ro: string } | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const [failure, setFailure] = useState<NoticeReason | null>(null);
  const [busy, setBusy] = useState(false);
  const [published, setPublished] = useState<number | null>(null);
  useEffect(() => { setPreview(null); }, [values, sections]);

  if (template === null) return <p className="callout">{t('notice.clinic.noTemplate')}</p>;
  const optional = template.sections.filter((section) => section.optional);
  const used = template.placeholders;

  const showPreview = () => {
    setBusy(true);
    setFailure(null);
    api((token) => previewClinicNotice(token, { values, sections })).then(
      (result) => { setBusy(false); setPreview(result.text); setMissing(result.missingValues); },
      (error: unknown) => { setBusy(false); setFailure(reasonOf(error)); },
    );
  };
  const publish = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    api((token) => publishClinicNotice(token, { values, sections, material })).then(
      (notice) => { setBusy(false); setPublished(notice.version); setMissing([]); reload(); },
      (error: unknown) => {
        setBusy(false);
        setFailure(reasonOf(error));
        if (error instanceof RestError && error.code === 'INVALID_INPUT') setMissing(used.filter((name) => (values[name] ?? '').trim() === ''));
      },
    );
  };

  return (
    <>
      {state.current === null ? <p className="callout" data-testid="notice-none">{t('notice.clinic.none')}</p> : (
        <details data-testid="notice-current">
          <summary>{t('notice.clinic.current', { version: String(state.current.version), date: format.date(state.current.publishedAt) })}</summary>
          <NoticeText text={state.current.text[locale]} />
        </details>
      )}
      {published !== null && <p className="callout" role="status" data-testid="notice-published">{t('notice.clinic.published', { version: String(published) })}</p>}
      {manages && (
        <form className="form consent-block" onSubmit={publish} noValidate data-testid="notice-form">
          <h2>{t('notice.clinic.editTitle', { version: String(template.version) })}</h2>
          <fieldset>
            <legend>{t('notice.clinic.values')}</legend>
            {used.map((name) => {
              const key = LABELS[name];
              return (
                <TextField key={name} name={`value-${name}`} label={key === undefined ? name : t(key)} value={values[name] ?? ''} required
                  onChange={(value) => setValues((current) => ({ ...current, [name]: value }))}
                  error={missing.includes(name) ? t('notice.clinic.valueRequired') : undefined} />
              );
            })}
          </fieldset>
          {optional.length > 0 && (
            <fieldset>
              <legend>{t('notice.clinic.sections')}</legend>
              {optional.map((section) => (
                <Checkbox key={section.key} name={`section-${section.key}`} label={section.title[locale]} checked={sections.includes(section.key)}
                  onChange={(on) => setSections((current) => (on ? [...current, section.key] : current.filter((key) => key !== section.key)))} />
              ))}
            </fieldset>
          )}
          <Checkbox name="material" label={t('notice.clinic.material')} hint={t('notice.clinic.materialHint')} checked={material}
            disabled={state.current === null} onChange={setMaterial} />
          <ReasonAlert reason={failure} />
          <div className="actions">
            <button type="button" onClick={showPreview} disabled={busy} data-testid="notice-preview-button">{t('notice.clinic.preview')}</button>
            <button type="submit" className="primary" disabled={busy}>{t('notice.clinic.publish')}</button>
          </div>
          {preview !== null && (
            <section aria-label={t('notice.clinic.previewLabel')} data-testid="notice-preview">
              <NoticeText text={preview[locale]} headingLevel={4} />
            </section>
          )}
        </form>
      )}
      {state.history.length > 0 && (
        <>
          <h2>{t('notice.clinic.history')}</h2>
          <ul data-testid="notice-history">
            {state.history.map((version) => (
              <li key={version.version}>
                {t('notice.clinic.historyItem', { version: String(version.version), date: format.dateTime(version.publishedAt) })}
                {version.material ? ` · ${t('notice.clinic.materialShort')}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
