import { useEffect, useRef, useState } from 'react';
import { PASSKEY_CANCELLED, passkeyAutofillAvailable, passkeysSupported, signInWithPasskey } from '../../sync/passkey-api.ts';
import { IdentityError } from '../../sync/identity-api.ts';
import { useT } from '../i18n/i18n-provider.tsx';
import { FormError } from './form-error.tsx';
import { useAction } from './use-action.ts';

type Props = {
  sharedDevice: boolean;
  /** Also offer the passkeys in the email field's suggestions (it has autocomplete="username webauthn"). */
  autofill: boolean;
  /** Once better-auth has set its cookie. */
  onSignedIn: () => Promise<void>;
};

const cancelled = (error: unknown) => error instanceof IdentityError && error.code === PASSKEY_CANCELLED;

/**
 * The first way in: a passkey, with the device's PIN or biometric, so no password and no code. A
 * browser without passkeys is told so, and the password form below still works.
 */
export function PasskeySignIn({ sharedDevice, autofill, onSignedIn }: Props) {
  const t = useT();
  const { busy, error, setError, run } = useAction();
  const [supported] = useState(passkeysSupported);
  const autofillRequest = useRef<AbortController | null>(null);
  // The autofill request outlives renders: it reads the latest choice and callback when it completes.
  const latest = useRef({ sharedDevice, onSignedIn });
  useEffect(() => {
    latest.current = { sharedDevice, onSignedIn };
  });

  useEffect(() => {
    if (!autofill || !supported) return;
    const request = new AbortController();
    autofillRequest.current = request;
    passkeyAutofillAvailable()
      .then(async (available) => {
        if (!available || request.signal.aborted) return;
        await signInWithPasskey({ rememberMe: !latest.current.sharedDevice, autofill: request.signal });
        await latest.current.onSignedIn();
      })
      .catch((failure: unknown) => {
        if (!request.signal.aborted && !cancelled(failure)) setError(failure);
      });
    return () => request.abort();
  }, [autofill, supported, setError]);

  const signIn = () => {
    // One WebAuthn request at a time: the prompt replaces the autofill offer.
    autofillRequest.current?.abort();
    run(async () => {
      await signInWithPasskey({ rememberMe: !sharedDevice });
      await onSignedIn();
    });
  };

  return (
    <section className="passkey-sign-in" data-testid="passkey-sign-in">
      {supported ? (
        <div className="actions">
          <button type="button" className="primary" disabled={busy} onClick={signIn}>
            {busy ? t('passkey.signingIn') : t('passkey.signIn')}
          </button>
        </div>
      ) : (
        <p className="hint">{t('passkey.unsupported')}</p>
      )}
      <FormError error={error} />
      <p className="hint">{t('passkey.orPassword')}</p>
    </section>
  );
}
