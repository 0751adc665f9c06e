import { useId, useState } from 'react';
import { isErrorCode } from '../../sync-rules/errors.ts';
import { ApiError } from '../sync/auth-api.ts';
import { IdentityError } from '../sync/identity-api.ts';
import { useSession } from '../sync/session-provider.tsx';
import { PendingWritesError, useSwitchOrganization } from '../sync/sync-provider.tsx';
import { useT } from './i18n/i18n-provider.tsx';
import type { NoticeReason } from './notice-reason.ts';
import { useNotify } from './notices.tsx';

function reasonOf(error: unknown): NoticeReason {
  if (error instanceof PendingWritesError) return 'SWITCH_PENDING';
  const code = error instanceof IdentityError || error instanceof ApiError ? error.code : null;
  if (code === 'NETWORK') return 'NETWORK';
  return isErrorCode(code) ? code : 'GENERIC';
}

/** For people who work at several clinics: choose which one this app works in. */
export function ClinicSwitcher() {
  const t = useT();
  const session = useSession();
  const switchOrganization = useSwitchOrganization();
  const notify = useNotify();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const current = session.context.organizationId ?? '';
  if (session.organizations.length < 2) return null;

  const choose = (target: string) => {
    if (target === current || target === '') return;
    setBusy(true);
    switchOrganization(target)
      .catch((error: unknown) => notify({ reason: reasonOf(error), rejected: false }))
      .finally(() => setBusy(false));
  };

  return (
    <span className="clinic-switch">
      <label htmlFor={id}>{t('header.clinic')}</label>
      <select id={id} data-testid="clinic-switcher" value={current} disabled={busy} onChange={(event) => choose(event.target.value)}>
        {current === '' && <option value="">{t('header.noOrganization')}</option>}
        {session.organizations.map((organization) => (
          <option key={organization.id} value={organization.id}>
            {organization.name}
          </option>
        ))}
      </select>
    </span>
  );
}
