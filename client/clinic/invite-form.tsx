import { useId, useRef, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { SYSTEM_ROLES, type SystemRole } from '../../sync-rules/context.ts';
import { createInvitation, type NewInvitation, type SentInvitation } from '../sync/invitations-api.ts';
import { RestError } from '../sync/rest-api.ts';
import { useSession } from '../sync/session-provider.tsx';
import { useLocale, useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { TextField } from '../ui/text-field.tsx';
import { reasonOf, useApi } from '../ui/use-api.ts';
import { ReasonAlert } from '../ui/reason-alert.tsx';

type Kind = NewInvitation['kind'];
type Fields = { kind: Kind; email: string; name: string; role: SystemRole; locale: 'ro' | 'en' };
type Problems = Partial<Record<'email' | 'name', string>>;

const ZEmail = z.string().trim().pipe(z.email());
const NAME_MAX = 200;

/** Refusals about the address itself, shown at the email field. */
const ABOUT_THE_ADDRESS: readonly NoticeReason[] = ['ALREADY_MEMBER', 'INVITATION_PENDING'];

/** Invites a staff member (with a role) or a patient by email; the server mails the link. */
export function InviteForm({ onSent }: { onSent: (sent: SentInvitation) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const session = useSession();
  const api = useApi();
  const form = useRef<HTMLFormElement>(null);
  const ids = { title: useId(), role: useId(), locale: useId() };
  const empty = (kind: Kind, role: SystemRole): Fields => ({ kind, email: '', name: '', role, locale });
  const [fields, setFields] = useState<Fields>(() => empty('member', 'staff'));
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<NoticeReason | null>(null);
  const [busy, setBusy] = useState(false);
  // Only an owner makes another owner (the server refuses it to admins too).
  const roles = SYSTEM_ROLES.filter((role) => role !== 'owner' || session.context.membershipRole === 'owner');

  const set = <K extends keyof Fields>(field: K) => (value: Fields[K]) => setFields((current) => ({ ...current, [field]: value }));

  const focusFirstProblem = () => requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: Problems = {};
    if (fields.email.trim() === '') found.email = t('validation.required');
    else if (!ZEmail.safeParse(fields.email).success) found.email = t('validation.email');
    if (fields.name.trim().length > NAME_MAX) found.name = t('validation.tooLong', { max: NAME_MAX });
    setProblems(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      focusFirstProblem();
      return;
    }
    const name = fields.name.trim() === '' ? null : fields.name.trim();
    const invitation: NewInvitation =
      fields.kind === 'member'
        ? { kind: 'member', email: fields.email.trim(), name, role: fields.role, locale: fields.locale }
        : { kind: 'patient', email: fields.email.trim(), name, locale: fields.locale };
    setBusy(true);
    api((token) => createInvitation(token, invitation))
      .then((sent) => {
        setFields(empty(fields.kind, fields.role));
        onSent(sent);
      })
      .catch((error: unknown) => {
        const reason = reasonOf(error);
        if (ABOUT_THE_ADDRESS.includes(reason)) {
          setProblems({ email: reasonText(t, reason) });
          focusFirstProblem();
        } else if (reason === 'INVALID_INPUT' && error instanceof RestError && error.fields.some((field) => field === 'email' || field === 'name')) {
          setProblems({
            ...(error.fields.includes('email') ? { email: t('validation.email') } : {}),
            ...(error.fields.includes('name') ? { name: t('validation.invalid') } : {}),
          });
          focusFirstProblem();
        } else setFailure(reason);
      })
      .finally(() => setBusy(false));
  };

  return (
    <form ref={form} className="form" onSubmit={onSubmit} noValidate aria-labelledby={ids.title} data-testid="invite-form">
      <h2 id={ids.title}>{t('invitations.formTitle')}</h2>
      <fieldset className="choice">
        <legend>{t('invitations.kind')}</legend>
        {(['member', 'patient'] as const).map((kind) => (
          <label key={kind}>
            <input type="radio" name="kind" value={kind} checked={fields.kind === kind} onChange={() => set('kind')(kind)} />
            {t(`invitations.kind.${kind}`)}
          </label>
        ))}
      </fieldset>
      <TextField label={t('invitations.email')} name="email" type="email" required autoComplete="off" spellCheck={false} value={fields.email} onChange={set('email')} error={problems.email} />
      <TextField label={t('invitations.name')} name="name" autoComplete="off" value={fields.name} onChange={set('name')} hint={t('invitations.nameHint')} error={problems.name} />
      {fields.kind === 'member' && (
        <div className="field">
          <label htmlFor={ids.role}>{t('invitations.role')}</label>
          <select id={ids.role} value={fields.role} onChange={(event) => set('role')(roles.find((role) => role === event.target.value) ?? 'staff')}>
            {roles.map((role) => (
              <option key={role} value={role}>
                {t(`invitations.role.${role}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.locale}>{t('invitations.locale')}</label>
        <select id={ids.locale} value={fields.locale} onChange={(event) => set('locale')(event.target.value === 'en' ? 'en' : 'ro')}>
          <option value="ro">{t('language.ro')}</option>
          <option value="en">{t('language.en')}</option>
        </select>
      </div>
      <ReasonAlert reason={failure} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('invitations.sending') : t('invitations.send')}
        </button>
      </div>
    </form>
  );
}
