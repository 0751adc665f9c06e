import { Link, useNavigate } from '@tanstack/react-router';
import { ZUpdateLocation } from '../../sync-rules/mutators/locations.ts';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { newWriteId } from '../sync/write-schemas.ts';
import { fieldProblems, problemsFromRejection, type FieldProblems } from '../ui/field-problems.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { useWrite } from '../ui/use-write.ts';
import { LOCATION_FIELDS, LocationForm, type LocationFields } from './location-form.tsx';
import { useLocations } from './use-locations.ts';

export function EditLocationPage({ locationId }: { locationId: string }) {
  const t = useT();
  const session = useSession();
  const navigate = useNavigate();
  const write = useWrite();
  // The list's view, so a location created offline can be edited before the server has it.
  const { locations, complete } = useLocations();
  const location = locations.find((candidate) => candidate.id === locationId);
  const back = <Link to="/">{t('common.back')}</Link>;

  if (location === undefined) {
    return (
      <>
        <PageTitle>{t('locations.title')}</PageTitle>
        <p className={complete ? 'callout' : 'muted'}>{complete ? t('locations.notFound') : t('common.loading')}</p>
        {back}
      </>
    );
  }

  const title = t('locations.editTitle', { name: location.name });
  if (location.status === 'closed' || !can(session.context, 'locations.manage')) {
    return (
      <>
        <PageTitle>{title}</PageTitle>
        <p className="callout">{location.status === 'closed' ? t('locations.closedNoEdit') : t('locations.readOnly')}</p>
        {back}
      </>
    );
  }

  const save = async (fields: LocationFields): Promise<FieldProblems | null> => {
    const parsed = ZUpdateLocation.safeParse({ writeId: newWriteId(), id: location.id, ...fields });
    if (!parsed.success) return fieldProblems(parsed.error.issues, LOCATION_FIELDS);
    const outcome = await write('location.update', parsed.data);
    if (outcome.status === 'saved') {
      await navigate({ to: '/' });
      return null;
    }
    return outcome.status === 'rejected' ? problemsFromRejection(outcome.code) : {};
  };

  const { name, slug, address, city, country } = location;
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <LocationForm
        key={location.id}
        initial={{ name, slug, address, city, country }}
        slugFollowsName={false}
        submitLabel={t('locations.save')}
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
