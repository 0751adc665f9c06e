import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { createInvitation } from '../sync/invitations-api.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { ReasonAlert } from '../ui/reason-alert.tsx';
import { TextField } from '../ui/text-field.tsx';
import { reasonOf, useApi } from '../ui/use-api.ts';

const ZEmail = z.string().trim().pipe(z.email());

type Person = { patientId: string; name: string | null; email: string | null; locale: 'ro' | 'en' };

/**
 * Invites a person the clinic registered to the Portal. The invitation names their record, so
 * accepting it links the record to their account instead of making a second one.
 */
export function InvitePatientPanel({ person }: { person: Person }) {
  const t = useT();
  const api = useApi();
  const [email, setEmail] = useState(person.email ?? '');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<NoticeReason | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setSentTo(null);
    const parsed = ZEmail.safeParse(email);
    if (!parsed.success) {
      setProblem(email.trim() === '' ? t('validation.required') : t('validation.email'));
      return;
    }
    setProblem(undefined);
    setBusy(true);
    api((token) => createInvitation(token, { kind: 'patient', email: parsed.data, name: person.name, locale: person.locale, patientId: person.patientId }))
      .then(() => setSentTo(parsed.data))
      .catch((error: unknown) => {
        const reason = reasonOf(error);
        if (reason === 'INVITATION_PENDING') setProblem(reasonText(t, reason));
        else setFailure(reason);
      })
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby="invite-patient-title" data-testid="invite-patient">
      <h2 id="invite-patient-title">{t('patients.invite.title')}</h2>
      <p className="hint">{t('patients.invite.explain')}</p>
      <form onSubmit={onSubmit} noValidate>
        <TextField label={t('patients.invite.email')} value={email} onChange={setEmail} error={problem} type="email" autoComplete="off" required />
        <ReasonAlert reason={failure} />
        {sentTo !== null && <p className="callout success" role="status">{t('patients.invite.sent', { email: sentTo })}</p>}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('patients.invite.sending') : t('patients.invite.send')}
          </button>
        </div>
      </form>
    </section>
  );
}
