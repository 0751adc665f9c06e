import { Link } from '@tanstack/react-router';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { SignedInLayout } from '../ui/signed-in-layout.tsx';
import { ConsentGate } from './consent-gate.tsx';

/** The Portal's sections. */
function PortalNav() {
  const t = useT();
  return (
    <nav className="app-nav" aria-label={t('consent.nav.label')} data-testid="portal-nav">
      <Link to="/" activeOptions={{ exact: true }}>{t('consent.nav.home')}</Link>
      <Link to="/consents">{t('consent.nav.consents')}</Link>
      <Link to="/data-requests">{t('dsar.nav')}</Link>
      <Link to="/subscriptions">{t('tiers.mySubscriptions')}</Link>
    </nav>
  );
}

/** The Portal's root: the shared signed-in layout, with its sections and the consent prompts under the header. */
export function PortalLayout() {
  return (
    <SignedInLayout
      nav={
        <>
          <PortalNav />
          <ConsentGate />
        </>
      }
    />
  );
}
