import { useState } from 'react';
import { usePendingCount, useSignOut } from '../sync/sync-provider.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { useT } from './i18n/i18n-provider.tsx';
import { useNotify } from './notices.tsx';

/** Signing out wipes this device, so unconfirmed writes would be lost: ask first when there are any. */
export function SignOutButton() {
  const t = useT();
  const signOut = useSignOut();
  const pending = usePendingCount();
  const notify = useNotify();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const run = () => {
    setConfirming(false);
    setBusy(true);
    signOut().catch((error: unknown) => {
      console.error('sign-out failed', error);
      notify({ reason: 'GENERIC', rejected: false });
      setBusy(false);
    });
  };

  return (
    <>
      <button type="button" disabled={busy} onClick={() => (pending > 0 ? setConfirming(true) : run())}>
        {t('header.signOut')}
      </button>
      <ConfirmDialog
        open={confirming}
        title={t('signOut.title')}
        confirmLabel={t('signOut.confirm')}
        onConfirm={run}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('signOut.pendingWarning', { count: pending })}</p>
      </ConfirmDialog>
    </>
  );
}
