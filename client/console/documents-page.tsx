import { useId, useState, type FormEvent } from 'react';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { useFormat, useLocale, useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { ReasonAlert } from '../ui/reason-alert.tsx';
import { TextField } from '../ui/text-field.tsx';
import { reasonOf, useApi, useApiQuery } from '../ui/use-api.ts';
import type { NoticeSection, NoticeTemplate } from '../clinic/consents-api.ts';
import { listPurposes, type Localized } from '../portal/consents-api.ts';
import { Checkbox } from '../portal/onboarding-page.tsx';
import { NoticeText } from '../portal/notice-text.tsx';
import { listTemplates, listTerms, previewTemplate, publishTemplate, publishTerms, type TermsVersion } from './documents-api.ts';
import '../portal/consents.css';

/**
 * `/console/documents`: the purpose catalogue (read-only: it changes by migration), the platform
 * terms and the privacy notice template. Superadmins (platform.manage) publish new versions; every
 * version is immutable once published.
 */
export function DocumentsPage() {
  const t = useT();
  return (
    <section data-testid="documents">
      <PageTitle>{t('notice.console.title')}</PageTitle>
      <Purposes />
      <Terms />
      <Template />
    </section>
  );
}

function Purposes() {
  const t = useT();
  const { locale } = useLocale();
  const [purposes] = useApiQuery(listPurposes, 'console-purposes');
  return (
    <section aria-labelledby="purposes-title">
      <h2 id="purposes-title">{t('notice.console.purposes')}</h2>
      {purposes.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {purposes.status === 'failed' && <p className="callout">{reasonText(t, purposes.reason)}</p>}
      {purposes.status === 'ready' && (
        <div className="table-scroll">
          <table className="consent-trail" data-testid="purpose-catalogue">
            <thead>
              <tr>
                <th scope="col">{t('notice.console.code')}</th>
                <th scope="col">{t('notice.console.purposeTitle')}</th>
                <th scope="col">{t('notice.console.scope')}</th>
                <th scope="col">{t('notice.console.requirement')}</th>
                <th scope="col">{t('notice.console.legalBasis')}</th>
              </tr>
            </thead>
            <tbody>
              {purposes.value.map((purpose) => (
                <tr key={purpose.code} data-testid="purpose-row">
                  <td><code>{purpose.code}</code></td>
                  <td>{purpose.title[locale]}<br /><span className="muted">{purpose.description[locale]}</span></td>
                  <td>{purpose.scope === 'platform' ? t('notice.console.scopePlatform') : t('notice.console.scopeOrganization')}</td>
                  <td>{purpose.requirement === 'required' ? t('notice.console.required') : t('notice.console.optional')}</td>
                  <td>{t(`notice.basis.${purpose.legalBasis as 'consent'}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function TextArea({ label, value, onChange, name, rows = 6 }: { label: string; value: string; onChange: (value: string) => void; name: string; rows?: number }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} rows={rows} value={value} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}

function Terms() {
  const t = useT();
  const format = useFormat();
  const session = useSession();
  const api = useApi();
  const [terms, reload] = useApiQuery(listTerms, 'console-terms');
  if (terms.status !== 'ready') return terms.status === 'failed' ? <p className="callout">{reasonText(t, terms.reason)}</p> : null;
  return (
    <section aria-labelledby="terms-editor-title">
      <h2 id="terms-editor-title">{t('notice.console.terms')}</h2>
      <ul>
        {terms.value.map((version) => (
          <li key={version.id}>{t('notice.clinic.historyItem', { version: String(version.version), date: format.dateTime(version.publishedAt) })}{version.material ? ` · ${t('notice.clinic.materialShort')}` : ''}</li>
        ))}
      </ul>
      {can(session.context, 'platform.manage') && <TermsForm latest={terms.value[0]} onPublished={reload} api={api} />}
    </section>
  );
}

function TermsForm({ latest, onPublished, api }: { latest: TermsVersion | undefined; onPublished: () => void; api: ReturnType<typeof useApi> }) {
  const t = useT();
  const [body, setBody] = useState<Localized>(latest?.body ?? { en: '', ro: '' });
  const [material, setMaterial] = useState(true);
  const [failure, setFailure] = useState<NoticeReason | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    api((token) => publishTerms(token, body, material)).then(() => { setBusy(false); onPublished(); }, (error: unknown) => { setBusy(false); setFailure(reasonOf(error)); });
  };
  return (
    <form className="form consent-block" onSubmit={submit} noValidate data-testid="terms-form">
      <TextArea name="terms-en" label={t('notice.console.textEn')} value={body.en} onChange={(en) => setBody((current) => ({ ...current, en }))} />
      <TextArea name="terms-ro" label={t('notice.console.textRo')} value={body.ro} onChange={(ro) => setBody((current) => ({ ...current, ro }))} />
      <Checkbox name="terms-material" label={t('notice.clinic.material')} hint={t('notice.clinic.materialHint')} checked={material} onChange={setMaterial} />
      <ReasonAlert reason={failure} />
      <div className="actions"><button type="submit" className="primary" disabled={busy}>{t('notice.console.publishTerms')}</button></div>
    </form>
  );
}

const emptySection = (index: number): NoticeSection => ({ key: `section_${String(index)}`, optional: true, title: { en: '', ro: '' }, body: { en: '', ro: '' } });

function Template() {
  const t = useT();
  const [templates, reload] = useApiQuery(listTemplates, 'console-templates');
  if (templates.status !== 'ready') return templates.status === 'failed' ? <p className="callout">{reasonText(t, templates.reason)}</p> : null;
  const latest = templates.value[0];
  return (
    <section aria-labelledby="template-editor-title">
      <h2 id="template-editor-title">{t('notice.console.template', { version: String(latest?.version ?? 0) })}</h2>
      <TemplateForm key={latest?.id ?? 'none'} latest={latest} onPublished={reload} />
    </section>
  );
}

function TemplateForm({ latest, onPublished }: { latest: NoticeTemplate | undefined; onPublished: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const session = useSession();
  const api = useApi();
  const [sections, setSections] = useState<NoticeSection[]>(latest?.sections ?? [emptySection(1)]);
  const [preview, setPreview] = useState<Localized | null>(null);
  const [failure, setFailure] = useState<NoticeReason | null>(null);
  const [busy, setBusy] = useState(false);
  const manages = can(session.context, 'platform.manage');
  const change = (index: number, patch: Partial<NoticeSection>) => {
    setPreview(null);
    setSections((current) => current.map((section, at) => (at === index ? { ...section, ...patch } : section)));
  };
  const run = (call: (token: string) => Promise<unknown>, after: (value: unknown) => void) => {
    setBusy(true);
    setFailure(null);
    api(call).then((value) => { setBusy(false); after(value); }, (error: unknown) => { setBusy(false); setFailure(reasonOf(error)); });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run((token) => publishTemplate(token, sections), () => onPublished());
  };
  return (
    <form className="form consent-block" onSubmit={submit} noValidate data-testid="template-form">
      <p className="hint">{t('notice.console.templateHint')}</p>
      {sections.map((section, index) => (
        <fieldset key={index} disabled={!manages}>
          <legend>{t('notice.console.section', { number: String(index + 1) })}</legend>
          <TextField name={`key-${String(index)}`} label={t('notice.console.sectionKey')} value={section.key} onChange={(key) => change(index, { key })} />
          <Checkbox name={`optional-${String(index)}`} label={t('notice.console.sectionOptional')} checked={section.optional} onChange={(optional) => change(index, { optional })} />
          <TextField name={`title-en-${String(index)}`} label={t('notice.console.titleEn')} value={section.title.en} onChange={(en) => change(index, { title: { ...section.title, en } })} />
          <TextField name={`title-ro-${String(index)}`} label={t('notice.console.titleRo')} value={section.title.ro} onChange={(ro) => change(index, { title: { ...section.title, ro } })} />
          <TextArea name={`body-en-${String(index)}`} label={t('notice.console.textEn')} value={section.body.en} onChange={(en) => change(index, { body: { ...section.body, en } })} />
          <TextArea name={`body-ro-${String(index)}`} label={t('notice.console.textRo')} value={section.body.ro} onChange={(ro) => change(index, { body: { ...section.body, ro } })} />
          {manages && sections.length > 1 && (
            <button type="button" className="small" onClick={() => setSections((current) => current.filter((_, at) => at !== index))}>
              {t('notice.console.removeSection', { number: String(index + 1) })}
            </button>
          )}
        </fieldset>
      ))}
      <ReasonAlert reason={failure} />
      <div className="actions">
        {manages && <button type="button" onClick={() => setSections((current) => [...current, emptySection(current.length + 1)])}>{t('notice.console.addSection')}</button>}
        <button type="button" disabled={busy} onClick={() => run((token) => previewTemplate(token, sections), (text) => setPreview(text as Localized))}>{t('notice.clinic.preview')}</button>
        {manages && <button type="submit" className="primary" disabled={busy}>{t('notice.console.publishTemplate')}</button>}
      </div>
      {preview !== null && (
        <section aria-label={t('notice.clinic.previewLabel')} data-testid="template-preview">
          <NoticeText text={preview[locale]} headingLevel={4} />
        </section>
      )}
    </form>
  );
}
