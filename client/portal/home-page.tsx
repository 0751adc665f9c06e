import { useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { MyClinics } from './my-clinics.tsx';
import { MyPatientRecords } from './my-patient-records.tsx';

export function HomePage() {
  const t = useT();
  return (
    <>
      <PageTitle>{t('portal.title')}</PageTitle>
      <MyPatientRecords />
      <MyClinics />
      <p className="empty-state" data-testid="portal-empty">
        {t('portal.empty')}
      </p>
    </>
  );
}
