import { useSession } from '../../sync/session-provider.tsx';
import { useT } from '../i18n/i18n-provider.tsx';
import { PageTitle } from '../page-title.tsx';
import { useOnline } from '../use-online.ts';
import { PasskeysSection } from './passkeys-section.tsx';
import { SecondFactorSection } from './second-factor-section.tsx';
import { SessionsSection } from './sessions-section.tsx';

/** `/account` in every app: who is signed in, where, their passkeys and their second factor. */
export function AccountPage() {
  const t = useT();
  const session = useSession();
  const online = useOnline();
  return (
    <>
      <PageTitle>{t('account.title')}</PageTitle>
      <section className="account-section">
        <h2>{t('account.details')}</h2>
        <dl className="details">
          <dt>{t('account.name')}</dt>
          <dd data-testid="account-name">{session.human.name}</dd>
          <dt>{t('account.email')}</dt>
          <dd data-testid="account-email">{session.human.email}</dd>
        </dl>
      </section>
      {session.source === 'development' ? (
        <p className="callout">{t('account.devSession')}</p>
      ) : online ? (
        <>
          <PasskeysSection />
          <SecondFactorSection />
          <SessionsSection />
        </>
      ) : (
        <p className="callout">{t('account.offline')}</p>
      )}
    </>
  );
}
