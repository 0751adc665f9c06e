import { Link } from '@tanstack/react-router';
import { useT } from './i18n/i18n-provider.tsx';
import { PageTitle } from './page-title.tsx';

export function NotFoundPage() {
  const t = useT();
  return (
    <>
      <PageTitle>{t('common.notFound')}</PageTitle>
      <Link to="/">{t('common.back')}</Link>
    </>
  );
}
