import { useQuery } from '@rocicorp/zero/react';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ZUpdateOwnProfile } from '../../sync-rules/mutators/patients.ts';
import { queries } from '../../sync-rules/queries.ts';
import { newWriteId } from '../sync/write-schemas.ts';
import { fieldProblems, type FieldProblems } from '../ui/field-problems.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { changedPersonValues, PERSON_FIELDS, personForm, personValues, type PersonForm, type PersonRecord } from '../ui/person-details.ts';
import { PersonFields } from '../ui/person-fields.tsx';
import { useWrite } from '../ui/use-write.ts';

/** The person's own details, which every clinic they share them with reads. */
export function ProfilePage() {
  const t = useT();
  const [profile, details] = useQuery(queries.me.patientProfile());
  return (
    <>
      <PageTitle>{t('profile.title')}</PageTitle>
      {profile === undefined ? (
        <p className={details.type === 'complete' ? 'callout' : 'muted'} data-testid="profile-none">
          {details.type === 'complete' ? t('profile.none') : t('common.loading')}
        </p>
      ) : (
        <>
          <p className="muted">{t('profile.intro')}</p>
          {/* Changes are worked out against the stored profile as it is when saving, so an edit made on
              another device meanwhile is kept unless this form changes that same field. */}
          <ProfileForm key={profile.id} id={profile.id} stored={profile} />
        </>
      )}
      <p>
        <Link to="/">{t('profile.backHome')}</Link>
      </p>
    </>
  );
}

function ProfileForm({ id, stored }: { id: string; stored: PersonRecord }) {
  const t = useT();
  const write = useWrite();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<PersonForm>(() => personForm(stored));
  const [problems, setProblems] = useState<FieldProblems>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const changes = changedPersonValues(stored, personValues(values));
    const parsed = ZUpdateOwnProfile.safeParse({ writeId: newWriteId(), id, ...changes });
    if (!parsed.success) {
      setProblems(fieldProblems(parsed.error.issues, PERSON_FIELDS));
      return;
    }
    setProblems({});
    if (Object.keys(changes).length === 0) {
      setSaved(true);
      return;
    }
    setBusy(true);
    write('profile.update', parsed.data)
      .then((outcome) => {
        setBusy(false);
        if (outcome.status === 'saved') setSaved(true);
      })
      .catch((error: unknown) => {
        console.error('profile form', error);
        setBusy(false);
      });
  };

  return (
    <form ref={form} className="form person-form" onSubmit={onSubmit} noValidate data-testid="profile-form">
      <PersonFields values={values} ownDetails problems={problems} onChange={(field, value) => { setSaved(false); setValues((current) => ({ ...current, [field]: value })); }} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('profile.save')}
        </button>
      </div>
      <p role="status" className="muted" data-testid="profile-status">
        {saved ? t('profile.saved') : ''}
      </p>
    </form>
  );
}
