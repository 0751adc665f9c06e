import { useId, type ReactNode } from 'react';
import { PATIENT_SEXES } from '../../sync-rules/schema.ts';
import type { FieldProblems } from './field-problems.ts';
import { useT } from './i18n/i18n-provider.tsx';
import { personProblemMessage, type PersonForm, type PersonLocale } from './person-details.ts';
import { TextField } from './text-field.tsx';
import './person-fields.css';

type Props = {
  values: PersonForm;
  onChange: <F extends keyof PersonForm>(field: F, value: PersonForm[F]) => void;
  problems: FieldProblems;
  /**
   * The person fills in their own details (Portal): the browser may offer what it knows about them.
   * Staff typing someone else's details get no autofill of their own.
   */
  ownDetails: boolean;
};

const isSex = (value: string): value is PersonForm['sex'] => value === '' || (PATIENT_SEXES as readonly string[]).includes(value);
const isLocale = (value: string): value is PersonLocale => value === 'ro' || value === 'en';

/** The inputs of a person's details, shared by the Clinic's patient form and the Portal's profile. */
export function PersonFields({ values, onChange, problems, ownDetails }: Props) {
  const t = useT();
  const error = (field: keyof PersonForm) => {
    const problem = problems[field];
    return problem === undefined ? undefined : personProblemMessage(t, field, problem);
  };
  const auto = (token: string) => (ownDetails ? token : 'off');
  return (
    <>
      <TextField label={t('patients.givenName')} name="givenName" required autoComplete={auto('given-name')} value={values.givenName} onChange={(value) => onChange('givenName', value)} error={error('givenName')} />
      <TextField label={t('patients.familyName')} name="familyName" required autoComplete={auto('family-name')} value={values.familyName} onChange={(value) => onChange('familyName', value)} error={error('familyName')} />
      <TextField label={t('patients.birthDate')} name="birthDate" type="date" autoComplete={auto('bday')} value={values.birthDate} onChange={(value) => onChange('birthDate', value)} error={error('birthDate')} />
      <SelectField label={t('patients.sex')} name="sex" value={values.sex} error={error('sex')} onChange={(value) => { if (isSex(value)) onChange('sex', value); }}>
        <option value="">{t('patients.sexUnset')}</option>
        {PATIENT_SEXES.map((sex) => (
          <option key={sex} value={sex}>
            {t(`patients.sex.${sex}`)}
          </option>
        ))}
      </SelectField>
      <TextField label={t('patients.email')} name="email" type="email" autoComplete={auto('email')} spellCheck={false} value={values.email} onChange={(value) => onChange('email', value)} error={error('email')} />
      <TextField label={t('patients.phone')} name="phone" type="tel" inputMode="tel" autoComplete={auto('tel')} value={values.phone} onChange={(value) => onChange('phone', value)} hint={t('patients.phoneHint')} error={error('phone')} />
      <SelectField label={t('patients.locale')} name="locale" value={values.locale} error={error('locale')} hint={t('patients.localeHint')} onChange={(value) => { if (isLocale(value)) onChange('locale', value); }}>
        <option value="ro">{t('patients.locale.ro')}</option>
        <option value="en">{t('patients.locale.en')}</option>
      </SelectField>
    </>
  );
}

type SelectProps = { label: string; name: string; value: string; onChange: (value: string) => void; error: string | undefined; hint?: string; children: ReactNode };

/** A labelled select whose hint and error are read with it, as TextField does for inputs. */
function SelectField({ label, name, value, onChange, error, hint, children }: SelectProps) {
  const id = useId();
  const describedBy = [hint === undefined ? null : `${id}-hint`, error === undefined ? null : `${id}-error`].filter((x) => x !== null).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={describedBy === '' ? undefined : describedBy}
      >
        {children}
      </select>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
