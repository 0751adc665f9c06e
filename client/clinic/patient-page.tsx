import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { ZUpdatePatient } from '../../sync-rules/mutators/patients.ts';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { newWriteId } from '../sync/write-schemas.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { fieldProblems, type FieldProblems } from '../ui/field-problems.ts';
import { INTL_LOCALES } from '../ui/i18n/format.ts';
import { useFormat, useLocale, useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { restoreFocusIfLost } from '../ui/restore-focus.ts';
import { birthDateText, changedPersonValues, EMPTY_PERSON, personForm, personValues } from '../ui/person-details.ts';
import '../ui/person-fields.css';
import { useWrite } from '../ui/use-write.ts';
import { InvitePatientPanel } from './invite-patient-panel.tsx';
import { PatientSubscriptionPanel } from './patient-subscription-panel.tsx';
import { PATIENT_FIELDS, PatientForm, type PatientFormFields } from './patient-form.tsx';
import { patientName, type PatientView } from './pending-patients.ts';
import { usePatients } from './use-patients.ts';

/** Issues about `person.givenName` belong to the form's `givenName` field. */
function flattenPerson(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.map((issue) => (issue.path[0] === 'person' ? { ...issue, path: issue.path.slice(1) } : issue));
}

/** One patient record of this clinic: the person's details, the clinic's own fields, and the other panels. */
export function PatientPage({ patientId }: { patientId: string }) {
  const t = useT();
  const session = useSession();
  // The list's view, so a patient registered offline can be opened before the server has them.
  const { patients, complete } = usePatients();
  const back = <Link to="/patients">{t('patients.backToList')}</Link>;
  if (session.context.organizationId === null || !can(session.context, 'patients.read')) {
    return (
      <>
        <PageTitle>{t('patients.title')}</PageTitle>
        <p className="callout">{session.context.organizationId === null ? t('header.noOrganization') : t('patients.notAllowed')}</p>
      </>
    );
  }
  const patient = patients.find((candidate) => candidate.id === patientId);
  if (patient === undefined) {
    return (
      <>
        <PageTitle>{t('patients.title')}</PageTitle>
        <p className={complete ? 'callout' : 'muted'}>{complete ? t('patients.notFound') : t('common.loading')}</p>
        {back}
      </>
    );
  }
  return <PatientRecord key={patient.id} patient={patient} organizationId={session.context.organizationId} />;
}

function PatientRecord({ patient, organizationId }: { patient: PatientView; organizationId: string }) {
  const t = useT();
  const format = useFormat();
  const { locale } = useLocale();
  const session = useSession();
  const navigate = useNavigate();
  const write = useWrite();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [saved, setSaved] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const editor = useRef<HTMLDivElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    // The Edit button gives way to the form and comes back after it: keep keyboard users in place.
    if (editing) editor.current?.querySelector<HTMLElement>('input, select')?.focus();
    else if (opened.current) restoreFocusIfLost(editButton.current);
    opened.current ||= editing;
  }, [editing]);
  const canManage = can(session.context, 'patients.manage');
  const canDelete = can(session.context, 'patients.delete');
  const { profile } = patient;
  // Security/ownership: a person who claimed their profile keeps it; the mutator refuses the clinic's edits too.
  const personEditable = profile !== undefined && profile.managedByOrganizationId === organizationId;
  const name = patientName(profile) ?? t('patients.notShared');

  const save = async ({ externalRef, ...form }: PatientFormFields): Promise<FieldProblems | null> => {
    const person = personEditable ? changedPersonValues(profile, personValues(form)) : {};
    const ref = externalRef.trim() === '' ? null : externalRef.trim();
    const args = {
      writeId: newWriteId(),
      id: patient.id,
      ...(ref === patient.externalRef ? {} : { externalRef: ref }),
      ...(Object.keys(person).length === 0 ? {} : { person }),
    };
    const parsed = ZUpdatePatient.safeParse(args);
    if (!parsed.success) return fieldProblems(flattenPerson(parsed.error.issues), PATIENT_FIELDS);
    if (parsed.data.externalRef === undefined && parsed.data.person === undefined) {
      setEditing(false);
      return null;
    }
    const outcome = await write('patient.update', parsed.data);
    if (outcome.status !== 'saved') return {};
    setEditing(false);
    setSaved(true);
    return null;
  };

  const setStatus = (status: PatientView['status']) => {
    setSaved(false);
    void write('patient.update', { writeId: newWriteId(), id: patient.id, status });
  };

  const remove = () => {
    setDeleting(false);
    void write('patient.delete', { writeId: newWriteId(), id: patient.id }).then((outcome) => {
      if (outcome.status === 'saved') void navigate({ to: '/patients' });
    });
  };

  return (
    <>
      <PageTitle>{name}</PageTitle>
      <p>
        <Link to="/patients">{t('patients.backToList')}</Link>
      </p>
      <div className="toolbar">
        <span>
          <span className={`status status-${patient.status}`} data-testid="patient-status">
            {t(`status.${patient.status}`)}
          </span>
          {patient.pending && <span className="tag pending-tag">{t('patients.pending')}</span>}
        </span>
        {(canManage || canDelete) && !editing && (
          <span className="row-actions">
            {canManage && (
              <button type="button" ref={editButton} onClick={() => { setSaved(false); setEditing(true); }}>
                {t('patients.edit')}
              </button>
            )}
            {canManage && (
              <button type="button" onClick={() => setStatus(patient.status === 'active' ? 'inactive' : 'active')}>
                {patient.status === 'active' ? t('patients.deactivate') : t('patients.reactivate')}
              </button>
            )}
            {canDelete && (
              <button type="button" className="danger" onClick={() => setDeleting(true)}>
                {t('patients.delete')}
              </button>
            )}
          </span>
        )}
      </div>
      <p role="status" className="muted">
        {saved ? t('patients.saved') : ''}
      </p>

      {editing ? (
        <div ref={editor}>
          <PatientForm
            initial={{ ...(profile === undefined ? EMPTY_PERSON : personForm(profile)), externalRef: patient.externalRef ?? '' }}
            personEditable={personEditable}
            submitLabel={t('patients.save')}
            onSave={save}
            cancel={
              <button type="button" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </button>
            }
          />
        </div>
      ) : (
        <section className="person-card" aria-labelledby="patient-details-title" data-testid="patient-details">
          <h2 id="patient-details-title">{t('patients.details')}</h2>
          {profile === undefined ? (
            <p className="callout">{t('patients.notSharedExplain')}</p>
          ) : (
            <>
              <dl className="details">
                <dt>{t('patients.givenName')}</dt>
                <dd>{profile.givenName}</dd>
                <dt>{t('patients.familyName')}</dt>
                <dd>{profile.familyName}</dd>
                <dt>{t('patients.birthDate')}</dt>
                <dd>{profile.birthDate === null ? t('patients.notGiven') : birthDateText(profile.birthDate, INTL_LOCALES[locale])}</dd>
                <dt>{t('patients.sex')}</dt>
                <dd>{profile.sex === null ? t('patients.notGiven') : t(`patients.sex.${profile.sex}`)}</dd>
                <dt>{t('patients.email')}</dt>
                <dd>{profile.email ?? t('patients.notGiven')}</dd>
                <dt>{t('patients.phone')}</dt>
                <dd>{profile.phone ?? t('patients.notGiven')}</dd>
                <dt>{t('patients.locale')}</dt>
                <dd>{t(`patients.locale.${profile.locale}`)}</dd>
                <dt>{t('patients.externalRef')}</dt>
                <dd>{patient.externalRef ?? t('patients.notGiven')}</dd>
                <dt>{t('patients.registered')}</dt>
                <dd>{format.date(patient.createdAt)}</dd>
              </dl>
              <p className="hint" data-testid="patient-ownership">
                {personEditable ? t('patients.managedByClinic') : t('patients.ownProfile')}
              </p>
            </>
          )}
        </section>
      )}

      <nav className="row-actions" aria-label={t('patients.moreLabel')}>
        <Link to="/patients/$patientId/consents" params={{ patientId: patient.id }}>
          {t('patients.consentsLink')}
        </Link>
      </nav>
      {/* Invitations are a member manager's (server/invitations/); only a record nobody has claimed yet. */}
      {patient.principalId === null && can(session.context, 'members.manage') && (
        <InvitePatientPanel person={{ patientId: patient.id, name: patientName(profile), email: profile?.email ?? null, locale: profile?.locale ?? 'ro' }} />
      )}
      <PatientSubscriptionPanel patientId={patient.id} />

      <ConfirmDialog
        open={deleting}
        title={t('patients.deleteTitle', { name })}
        confirmLabel={t('patients.deleteConfirm')}
        onCancel={() => setDeleting(false)}
        onConfirm={remove}
      >
        <p>{t('patients.deleteExplain')}</p>
      </ConfirmDialog>
    </>
  );
}

/** The route's component: reads `$patientId` itself, so the route and the page do not type each other. */
export function PatientRoute() {
  const params: { patientId?: string } = useParams({ strict: false });
  return <PatientPage patientId={params.patientId ?? ''} />;
}
