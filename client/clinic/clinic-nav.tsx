import { Link } from '@tanstack/react-router';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { SignedInLayout } from '../ui/signed-in-layout.tsx';
import './invitations.css';

/** The Clinic's sections. Inviting people and share-links are for those who manage members. */
function ClinicNav() {
  const t = useT();
  const session = useSession();
  if (session.context.organizationId === null) return null;
  const managesMembers = can(session.context, 'members.manage');
  return (
    <nav className="app-nav" aria-label={t('invitations.navLabel')} data-testid="clinic-nav">
      <Link to="/" activeOptions={{ exact: true }}>
        {t('locations.title')}
      </Link>
      {can(session.context, 'patients.read') && <Link to="/patients">{t('patients.title')}</Link>}
      {can(session.context, 'members.read') && <Link to="/members">{t('members.title')}</Link>}
      {can(session.context, 'roles.manage') && <Link to="/roles">{t('roles.title')}</Link>}
      {managesMembers && <Link to="/invitations">{t('invitations.title')}</Link>}
      {managesMembers && <Link to="/share-links">{t('shareLinks.title')}</Link>}
      {can(session.context, 'audit.read') && <Link to="/audit">{t('audit.title')}</Link>}
      {can(session.context, 'patients.manage') && <Link to="/data-requests">{t('dsar.clinicPage.title')}</Link>}
      {can(session.context, 'members.read') && <Link to="/privacy-notice">{t('notice.clinic.nav')}</Link>}
      {(['billing.read', 'billing.manage', 'patients.read'] as const).some((p) => can(session.context, p)) && <Link to="/tiers">{t('tiers.title')}</Link>}
    </nav>
  );
}

/** The Clinic's root route: the shared signed-in layout with the Clinic's navigation. */
export function ClinicLayout() {
  return <SignedInLayout nav={<ClinicNav />} />;
}
