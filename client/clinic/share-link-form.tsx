import { useId, useRef, useState, type FormEvent } from 'react';
import { createShareLink, type ShareLink } from '../sync/invitations-api.ts';
import { RestError } from '../sync/rest-api.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import type { NoticeReason } from '../ui/notice-reason.ts';
import { TextField } from '../ui/text-field.tsx';
import { reasonOf, useApi } from '../ui/use-api.ts';
import { ReasonAlert } from '../ui/reason-alert.tsx';

type Fields = { label: string; expiresOn: string; maxUses: string };
type Problems = Partial<Record<keyof Fields, string>>;

const LABEL_MAX = 200;
const DEFAULT_DAYS = 90;
// The server allows up to a year ahead; the last day is ended in local time, so stay a day short.
const MAX_DAYS = 365;
const MAX_USES = 1_000_000;

/** A calendar date `days` from today, as a date input holds it (local time). */
function dateInDays(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${String(date.getFullYear())}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The code works until the end of the chosen day, in the clinic's local time. */
const endOfDay = (date: string): Date => new Date(`${date}T23:59:59`);

/** A new share-link: a label the clinic recognises it by, its last day, and optionally a maximum of uses. */
export function ShareLinkForm({ onCreated }: { onCreated: (link: ShareLink) => void }) {
  const t = useT();
  const api = useApi();
  const form = useRef<HTMLFormElement>(null);
  const titleId = useId();
  const [fields, setFields] = useState<Fields>(() => ({ label: '', expiresOn: dateInDays(DEFAULT_DAYS), maxUses: '' }));
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<NoticeReason | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof Fields) => (value: string) => setFields((current) => ({ ...current, [field]: value }));
  const focusFirstProblem = () => requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: Problems = {};
    const label = fields.label.trim();
    if (label === '') found.label = t('validation.required');
    else if (label.length > LABEL_MAX) found.label = t('validation.tooLong', { max: LABEL_MAX });
    const expiresAt = endOfDay(fields.expiresOn);
    if (fields.expiresOn === '' || Number.isNaN(expiresAt.getTime())) found.expiresOn = t('validation.required');
    else if (fields.expiresOn < dateInDays(0) || fields.expiresOn > dateInDays(MAX_DAYS)) found.expiresOn = t('shareLinks.expiresRange');
    const maxUses = fields.maxUses.trim() === '' ? null : Number(fields.maxUses);
    if (maxUses !== null && (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > MAX_USES)) found.maxUses = t('shareLinks.maxUsesRange');
    setProblems(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      focusFirstProblem();
      return;
    }
    setBusy(true);
    api((token) => createShareLink(token, { label, expiresAt: expiresAt.toISOString(), maxUses }))
      .then((link) => {
        setFields({ label: '', expiresOn: dateInDays(DEFAULT_DAYS), maxUses: '' });
        onCreated(link);
      })
      .catch((error: unknown) => {
        const reason = reasonOf(error);
        const named = error instanceof RestError ? error.fields : [];
        if (reason === 'INVALID_INPUT' && named.length > 0) {
          setProblems({
            ...(named.includes('label') ? { label: t('validation.invalid') } : {}),
            ...(named.includes('expiresAt') ? { expiresOn: t('shareLinks.expiresRange') } : {}),
            ...(named.includes('maxUses') ? { maxUses: t('shareLinks.maxUsesRange') } : {}),
          });
          focusFirstProblem();
        } else setFailure(reason);
      })
      .finally(() => setBusy(false));
  };

  return (
    <form ref={form} className="form" onSubmit={onSubmit} noValidate aria-labelledby={titleId} data-testid="share-link-form">
      <h2 id={titleId}>{t('shareLinks.formTitle')}</h2>
      <TextField label={t('shareLinks.label')} name="label" required autoComplete="off" value={fields.label} onChange={set('label')} hint={t('shareLinks.labelHint')} error={problems.label} />
      <TextField label={t('shareLinks.expiresOn')} name="expiresOn" type="date" required value={fields.expiresOn} onChange={set('expiresOn')} hint={t('shareLinks.expiresHint')} error={problems.expiresOn} />
      <TextField label={t('shareLinks.maxUses')} name="maxUses" inputMode="numeric" autoComplete="off" value={fields.maxUses} onChange={set('maxUses')} hint={t('shareLinks.maxUsesHint')} error={problems.maxUses} />
      <ReasonAlert reason={failure} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('shareLinks.creating') : t('shareLinks.create')}
        </button>
      </div>
    </form>
  );
}
