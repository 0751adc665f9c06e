import { useConnectionState } from '@rocicorp/zero/react';
import { useState } from 'react';
import { useAuthStatus, useReconnect, useRenewSignIn } from '../sync/sync-provider.tsx';
import { ApiError } from '../sync/auth-api.ts';
import { connectionLabel } from './connection-label.ts';
import { useT } from './i18n/i18n-provider.tsx';
import { useNotify } from './notices.tsx';

export function ConnectionBadge() {
  const t = useT();
  const state = useConnectionState();
  const renewSignIn = useRenewSignIn();
  const authStatus = useAuthStatus();
  const reconnect = useReconnect();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);

  const run = (action: () => Promise<void>) => {
    setBusy(true);
    void action()
      .catch((error: unknown) => notify({ reason: error instanceof ApiError ? error.code : 'GENERIC', rejected: false }))
      .finally(() => setBusy(false));
  };

  return (
    <span className="connection">
      <span className="connection-badge" data-testid="connection-state" data-state={state.name} role="status">
        <span className="connection-dot" aria-hidden="true" />
        {t(connectionLabel(state.name))}
      </span>
      {/* Once the sign-in has ended, the panel above the page asks for it instead. */}
      {state.name === 'needs-auth' && authStatus.state === 'active' && (
        <button type="button" className="small" disabled={busy} onClick={() => run(renewSignIn)}>
          {t('connection.signInAgain')}
        </button>
      )}
      {state.name === 'error' && (
        <button type="button" className="small" disabled={busy} onClick={() => run(reconnect)}>
          {t('connection.retry')}
        </button>
      )}
    </span>
  );
}
