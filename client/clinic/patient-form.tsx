import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { type FieldProblems, problemMessage } from '../ui/field-problems.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { PERSON_FIELDS, type PersonForm } from '../ui/person-details.ts';
import { PersonFields } from '../ui/person-fields.tsx';
import { TextField } from '../ui/text-field.tsx';

export type PatientFormFields = PersonForm & { externalRef: string };

export const PATIENT_FIELDS = [...PERSON_FIELDS, 'externalRef'] as const satisfies readonly (keyof PatientFormFields)[];

type Props = {
  initial: PatientFormFields;
  /**
   * Whether the clinic may change the person's details: only while it holds the profile for someone
   * who has not claimed it with an account. Otherwise only the clinic's own fields are offered.
   */
  personEditable: boolean;
  submitLabel: string;
  /** Resolves to the problems to show, or null once the write is saved. */
  onSave: (fields: PatientFormFields) => Promise<FieldProblems | null>;
  cancel: ReactNode;
};

export function PatientForm({ initial, personEditable, submitLabel, onSave, cancel }: Props) {
  const t = useT();
  const form = useRef<HTMLFormElement>(null);
  const [fields, setFields] = useState(initial);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // Take people to the first field to fix; its message is read with it.
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    onSave(fields)
      .then((found) => {
        if (found !== null) {
          setProblems(found);
          setBusy(false);
        }
      })
      .catch((error: unknown) => {
        console.error('patient form', error);
        setBusy(false);
      });
  };

  const externalRefProblem = problems.externalRef;
  return (
    <form ref={form} className="form person-form" onSubmit={onSubmit} noValidate data-testid="patient-form">
      {personEditable ? (
        <PersonFields values={fields} ownDetails={false} problems={problems} onChange={(field, value) => setFields((current) => ({ ...current, [field]: value }))} />
      ) : (
        <p className="hint">{t('patients.personNotEditable')}</p>
      )}
      <TextField
        label={t('patients.externalRef')}
        name="externalRef"
        autoComplete="off"
        spellCheck={false}
        value={fields.externalRef}
        onChange={(value) => setFields((current) => ({ ...current, externalRef: value }))}
        hint={t('patients.externalRefHint')}
        error={externalRefProblem === undefined ? undefined : problemMessage(t, externalRefProblem)}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        {cancel}
      </div>
    </form>
  );
}
