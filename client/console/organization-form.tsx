import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ZCreateOrganization } from '../../sync-rules/mutators/organizations.ts';
import { newWriteId } from '../sync/write-schemas.ts';
import { fieldProblems, problemMessage, problemsFromRejection, type FieldProblems } from '../ui/field-problems.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { suggestSlug } from '../ui/suggest-slug.ts';
import { TextField } from '../ui/text-field.tsx';
import { useWrite } from '../ui/use-write.ts';

const FIELDS = ['name', 'slug'] as const;

export function OrganizationForm() {
  const t = useT();
  const write = useWrite();
  const form = useRef<HTMLFormElement>(null);
  const [id, setId] = useState(() => crypto.randomUUID());
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);

  const save = async (): Promise<FieldProblems | null> => {
    const parsed = ZCreateOrganization.safeParse({ writeId: newWriteId(), id, name, slug });
    if (!parsed.success) return fieldProblems(parsed.error.issues, FIELDS);
    const outcome = await write('organization.create', parsed.data);
    if (outcome.status === 'saved') return null;
    return outcome.status === 'rejected' ? problemsFromRejection(outcome.code) : {};
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    void save()
      .then((found) => {
        if (found === null) {
          // Saved: the row shows in the list; the form is ready for the next one.
          setId(crypto.randomUUID());
          setName('');
          setSlug('');
          setSlugEdited(false);
          setProblems({});
        } else {
          setProblems(found);
        }
      })
      .catch((error: unknown) => console.error('organisation form', error))
      .finally(() => setBusy(false));
  };

  const error = (field: (typeof FIELDS)[number]) => {
    const problem = problems[field];
    return problem === undefined ? undefined : problemMessage(t, problem);
  };

  return (
    <form ref={form} className="form inline-form" onSubmit={onSubmit} noValidate aria-labelledby="new-organization">
      <h2 id="new-organization">{t('organizations.createTitle')}</h2>
      <TextField
        label={t('organizations.name')}
        name="name"
        required
        autoComplete="off"
        value={name}
        onChange={(value) => {
          setName(value);
          if (!slugEdited) setSlug(suggestSlug(value));
        }}
        error={error('name')}
      />
      <TextField
        label={t('organizations.slug')}
        name="slug"
        required
        autoComplete="off"
        spellCheck={false}
        value={slug}
        onChange={(value) => {
          setSlugEdited(true);
          setSlug(value);
        }}
        hint={t('organizations.slugHint')}
        error={error('slug')}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('organizations.create')}
        </button>
      </div>
    </form>
  );
}
