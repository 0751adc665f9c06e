import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { ZCreateLocation } from '../../sync-rules/mutators/locations.ts';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { newWriteId } from '../sync/write-schemas.ts';
import { fieldProblems, problemsFromRejection, type FieldProblems } from '../ui/field-problems.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { useWrite } from '../ui/use-write.ts';
import { LOCATION_FIELDS, LocationForm, type LocationFields } from './location-form.tsx';

const EMPTY: LocationFields = { name: '', slug: '', address: '', city: '', country: '' };

export function NewLocationPage() {
  const t = useT();
  const session = useSession();
  const navigate = useNavigate();
  const write = useWrite();
  // One id per form: a retry after a rejection creates the same location, not a second one.
  const [id] = useState(() => crypto.randomUUID());

  if (!can(session.context, 'locations.manage')) {
    return (
      <>
        <PageTitle>{t('locations.createTitle')}</PageTitle>
        <p className="callout">{t('locations.readOnly')}</p>
        <Link to="/">{t('common.back')}</Link>
      </>
    );
  }

  const save = async (fields: LocationFields): Promise<FieldProblems | null> => {
    const parsed = ZCreateLocation.safeParse({ writeId: newWriteId(), id, ...fields });
    if (!parsed.success) return fieldProblems(parsed.error.issues, LOCATION_FIELDS);
    const outcome = await write('location.create', parsed.data);
    if (outcome.status === 'saved') {
      await navigate({ to: '/' });
      return null;
    }
    return outcome.status === 'rejected' ? problemsFromRejection(outcome.code) : {};
  };

  return (
    <>
      <PageTitle>{t('locations.createTitle')}</PageTitle>
      <LocationForm
        initial={EMPTY}
        slugFollowsName
        submitLabel={t('locations.create')}
        onSave={save}
        cancel={
          <Link to="/" className="button">
            {t('common.cancel')}
          </Link>
        }
      />
    </>
  );
}
