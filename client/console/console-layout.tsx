import { Link } from '@tanstack/react-router';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { SignedInLayout } from '../ui/signed-in-layout.tsx';

/** The Console's sections, for operators; the router marks the current one (aria-current="page"). */
function ConsoleNav() {
  const t = useT();
  const { context } = useSession();
  if (!can(context, 'platform.operators.read')) return null;
  return (
    <nav className="app-nav" aria-label={t('operators.navLabel')}>
      <Link to="/" activeOptions={{ exact: true }}>
        {t('organizations.title')}
      </Link>
      <Link to="/operators">{t('operators.title')}</Link>
      <Link to="/documents">{t('notice.console.nav')}</Link>
    </nav>
  );
}

/** The Console's root: the shared signed-in layout with the Console's sections under the header. */
export function ConsoleLayout() {
  return <SignedInLayout nav={<ConsoleNav />} />;
}
