import { Link } from '@tanstack/react-router';
import type { AppName } from '../sync/app-name.ts';
import { useSession } from '../sync/session-provider.tsx';
import { currentOrganizationName } from '../sync/session.ts';
import { ClinicSwitcher } from './clinic-switcher.tsx';
import { ConnectionBadge } from './connection-badge.tsx';
import { useT } from './i18n/i18n-provider.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { PendingCount } from './pending-count.tsx';
import { SignOutButton } from './sign-out-button.tsx';

function AppName({ app }: { app: AppName }) {
  const t = useT();
  return <span className="app-name">{t(`app.${app}`)}</span>;
}

export function SignedOutHeader({ app }: { app: AppName }) {
  return (
    <header className="app-header">
      <div className="brand">
        <AppName app={app} />
      </div>
      <div className="tools">
        <LanguageSwitch />
      </div>
    </header>
  );
}

export function SignedInHeader({ app }: { app: AppName }) {
  const t = useT();
  const session = useSession();
  const organization = currentOrganizationName(session);
  return (
    <header className="app-header">
      <div className="brand">
        <AppName app={app} />
        {organization !== null ? (
          <span className="organization" data-testid="organization-name">
            <span className="visually-hidden">{t('header.organization')}: </span>
            {organization}
          </span>
        ) : (
          app === 'clinic' && <span className="organization muted">{t('header.noOrganization')}</span>
        )}
      </div>
      <div className="sync-status" aria-label={t('header.connection')} role="group">
        <ConnectionBadge />
        <PendingCount />
      </div>
      <div className="tools">
        {app === 'clinic' && <ClinicSwitcher />}
        <LanguageSwitch />
        <span className="user-name" data-testid="user-name">
          {session.human.name}
        </span>
        <Link to="/account" className="account-link" data-testid="account-link">
          {t('header.account')}
        </Link>
        <SignOutButton />
      </div>
    </header>
  );
}
