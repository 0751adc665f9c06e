import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { type FieldProblems, problemMessage } from '../ui/field-problems.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { suggestSlug } from '../ui/suggest-slug.ts';
import { TextField } from '../ui/text-field.tsx';

export type LocationFields = { name: string; slug: string; address: string; city: string; country: string };

export const LOCATION_FIELDS = ['name', 'slug', 'address', 'city', 'country'] as const satisfies readonly (keyof LocationFields)[];

type Props = {
  initial: LocationFields;
  /** New locations follow the name until the slug is edited; existing slugs never change by themselves. */
  slugFollowsName: boolean;
  submitLabel: string;
  /** Resolves to the problems to show, or null once the write is saved. */
  onSave: (fields: LocationFields) => Promise<FieldProblems | null>;
  cancel: ReactNode;
};

export function LocationForm({ initial, slugFollowsName, submitLabel, onSave, cancel }: Props) {
  const t = useT();
  const form = useRef<HTMLFormElement>(null);
  const [fields, setFields] = useState(initial);
  const [slugEdited, setSlugEdited] = useState(!slugFollowsName);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // Take people to the first field to fix.
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);

  const set = (field: keyof LocationFields) => (value: string) =>
    setFields((current) => {
      if (field === 'name' && !slugEdited) return { ...current, name: value, slug: suggestSlug(value) };
      return { ...current, [field]: value };
    });

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
        console.error('location form', error);
        setBusy(false);
      });
  };

  const error = (field: keyof LocationFields) => {
    const problem = problems[field];
    return problem === undefined ? undefined : problemMessage(t, problem);
  };

  return (
    <form ref={form} className="form" onSubmit={onSubmit} noValidate>
      <TextField label={t('locations.name')} name="name" required autoComplete="off" value={fields.name} onChange={set('name')} error={error('name')} />
      <TextField
        label={t('locations.slug')}
        name="slug"
        required
        autoComplete="off"
        spellCheck={false}
        value={fields.slug}
        onChange={(value) => {
          setSlugEdited(true);
          set('slug')(value);
        }}
        hint={t('locations.slugHint')}
        error={error('slug')}
      />
      <TextField label={t('locations.address')} name="address" autoComplete="street-address" value={fields.address} onChange={set('address')} error={error('address')} />
      <TextField label={t('locations.city')} name="city" autoComplete="address-level2" value={fields.city} onChange={set('city')} error={error('city')} />
      <TextField label={t('locations.country')} name="country" autoComplete="country-name" value={fields.country} onChange={set('country')} error={error('country')} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        {cancel}
      </div>
    </form>
  );
}
