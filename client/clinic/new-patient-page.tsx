import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { ZCreatePatient } from '../../sync-rules/mutators/patients.ts';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { newWriteId } from '../sync/write-schemas.ts';
import { fieldProblems, type FieldProblems } from '../ui/field-problems.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { EMPTY_PERSON, personValues } from '../ui/person-details.ts';
import { useWrite } from '../ui/use-write.ts';
import { PATIENT_FIELDS, PatientForm, type PatientFormFields } from './patient-form.tsx';

const EMPTY: PatientFormFields = { ...EMPTY_PERSON, externalRef: '' };

/** Registers a person who has no account yet: the clinic holds their details until they claim them. */
export function NewPatientPage() {
  const t = useT();
  const session = useSession();
  const navigate = useNavigate();
  const write = useWrite();
  // One pair of ids per form: a retry after a rejection registers the same person, not a second one.
  const [ids] = useState(() => ({ id: crypto.randomUUID(), profileId: crypto.randomUUID() }));
  const back = (
    <Link to="/patients" className="button">
      {t('common.cancel')}
    </Link>
  );

  if (!can(session.context, 'patients.manage')) {
    return (
      <>
        <PageTitle>{t('patients.createTitle')}</PageTitle>
        <p className="callout">{t('patients.cannotManage')}</p>
        <Link to="/patients">{t('patients.backToList')}</Link>
      </>
    );
  }

  const save = async ({ externalRef, ...person }: PatientFormFields): Promise<FieldProblems | null> => {
    const parsed = ZCreatePatient.safeParse({ writeId: newWriteId(), ...ids, ...personValues(person), externalRef: externalRef.trim() === '' ? null : externalRef });
    if (!parsed.success) return fieldProblems(parsed.error.issues, PATIENT_FIELDS);
    const outcome = await write('patient.create', parsed.data);
    if (outcome.status === 'saved') {
      await navigate({ to: '/patients/$patientId', params: { patientId: ids.id } });
      return null;
    }
    return {};
  };

  return (
    <>
      <PageTitle>{t('patients.createTitle')}</PageTitle>
      <p className="muted">{t('patients.createIntro')}</p>
      <PatientForm initial={EMPTY} personEditable submitLabel={t('patients.create')} onSave={save} cancel={back} />
    </>
  );
}
