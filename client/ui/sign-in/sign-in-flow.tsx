import { useEffect, useId, useRef, useState } from 'react';
import { rememberLinkSharedDevice, takeLinkSharedDevice } from '../../sync/device-flags.ts';
import { requestMagicLink, requestPasswordReset, sendVerificationEmail, signUp, verifyTotp, type PasswordSignIn } from '../../sync/identity-api.ts';
import { linkCallbackUrl, resetRedirectUrl, type Arrival } from '../../sync/link-return.ts';
import { useSessionState } from '../../sync/session-provider.tsx';
import { useT } from '../i18n/i18n-provider.tsx';
import { CheckEmailStep, type CheckEmailReason } from './check-email-step.tsx';
import { CodeStep } from './code-step.tsx';
import { EmailStep } from './email-step.tsx';
import { EnrolStep } from './enrol-step.tsx';
import { needsSecondFactorEnrolment } from './identity-messages.ts';
import { PasskeySignIn } from './passkey-sign-in.tsx';
import { PasswordStep } from './password-step.tsx';
import { SignUpStep } from './sign-up-step.tsx';

type Step =
  | { name: 'password' }
  | { name: 'sign-up' }
  | { name: 'link' }
  | { name: 'forgot' }
  | { name: 'check-email'; reason: CheckEmailReason; email: string }
  | { name: 'code' }
  | { name: 'enrol' };

type Props = {
  /** Signing in again as the person whose data is on this device: their email, no other paths. */
  fixedEmail?: string;
  /**
   * Once better-auth has set its cookie: build the app's session from it. A SessionEndedError with
   * SECOND_FACTOR_REQUIRED leads to setting one up.
   */
  complete: (sharedDevice: boolean) => Promise<void>;
  /** The email link the app was opened from, if any. */
  arrival?: Arrival | null;
  /**
   * The "shared device" choice: chosen here and owned by the screen (the demo accounts use it too),
   * or already made (signing in again keeps the session's, so a shared device gets no lasting cookie).
   */
  sharedDevice: { value: boolean; onChange: (value: boolean) => void } | { fixed: boolean };
};

/**
 * Every way into an account: a passkey first (it is both factors at once), password (then a code if
 * the account has a second factor, or setting one up if the role requires it), a new account with
 * email confirmation, a sign-in link, and a password-reset link. Each step says what happens next;
 * none is a dead end.
 */
export function SignInFlow({ fixedEmail, complete, arrival = null, sharedDevice: sharedChoice }: Props) {
  const t = useT();
  const { app } = useSessionState();
  const base = import.meta.env.BASE_URL;
  const sharedId = useId();
  const [step, setStep] = useState<Step>({ name: 'password' });
  const [email, setEmail] = useState(fixedEmail ?? '');
  const sharedDevice = 'fixed' in sharedChoice ? sharedChoice.fixed : sharedChoice.value;
  const [arrivalError, setArrivalError] = useState<unknown>(arrival?.kind === 'link-failed' ? arrival.error : null);
  /** The password of this sign-in, kept in memory only to set up a required second factor. */
  const password = useRef<string | null>(null);
  const reauthenticating = fixedEmail !== undefined;

  const finish = async (shared: boolean) => {
    try {
      await complete(shared);
    } catch (error) {
      if (!needsSecondFactorEnrolment(error)) throw error;
      setStep({ name: 'enrol' });
    }
  };

  // Back from a sign-in or confirmation link: the cookie is set; finish with the choice made before it was sent.
  const arrived = useRef(false);
  useEffect(() => {
    if (arrival?.kind !== 'link' || arrived.current) return;
    arrived.current = true;
    finish(takeLinkSharedDevice(app, localStorage)).catch(setArrivalError);
    // Once, on mount (the ref also holds under StrictMode's second run): the arrival never changes.
  }, []);

  const goTo = (next: Step) => {
    setArrivalError(null);
    setStep(next);
  };

  const sendConfirmation = async (address: string) => {
    rememberLinkSharedDevice(app, sharedDevice, localStorage);
    await sendVerificationEmail(address, linkCallbackUrl(base));
  };

  const onPasswordAccepted = async (used: string, result: PasswordSignIn) => {
    password.current = used;
    if (result.status === 'second-factor') goTo({ name: 'code' });
    else await finish(sharedDevice);
  };

  const sharedDeviceField = 'fixed' in sharedChoice ? null : (
    <div className="checkbox-field">
      <input id={sharedId} type="checkbox" checked={sharedDevice} onChange={(event) => sharedChoice.onChange(event.target.checked)} aria-describedby={`${sharedId}-hint`} />
      <label htmlFor={sharedId}>{t('signIn.sharedDevice')}</label>
      <p id={`${sharedId}-hint`} className="hint">
        {t('signIn.sharedDeviceHint')}
      </p>
    </div>
  );

  const body = (() => {
    switch (step.name) {
      case 'password':
        return (
          <>
            {/* First, since it decides what a passkey sign-in keeps as much as a password one. */}
            {sharedDeviceField}
            <PasskeySignIn sharedDevice={sharedDevice} autofill={!reauthenticating} onSignedIn={() => finish(sharedDevice)} />
            <PasswordStep
              email={email}
              onEmailChange={setEmail}
              emailFixed={reauthenticating}
              sharedDevice={sharedDevice}
              initialError={arrivalError}
              passkeyAutofill={!reauthenticating}
              onPasswordAccepted={onPasswordAccepted}
              onResendVerification={async () => {
                await sendConfirmation(email.trim());
                goTo({ name: 'check-email', reason: 'verify', email: email.trim() });
              }}
            />
          </>
        );
      case 'sign-up':
        return (
          <SignUpStep
            email={email}
            onEmailChange={setEmail}
            sharedDeviceField={sharedDeviceField}
            onSignUp={async (input) => {
              rememberLinkSharedDevice(app, sharedDevice, localStorage);
              await signUp({ ...input, callbackURL: linkCallbackUrl(base) });
              goTo({ name: 'check-email', reason: 'verify', email: input.email });
            }}
          />
        );
      case 'link':
        return (
          <EmailStep
            testId="email-link"
            title={t('emailLink.title')}
            hint={t('emailLink.hint')}
            submitLabel={t('emailLink.submit')}
            email={email}
            onEmailChange={setEmail}
            sharedDeviceField={sharedDeviceField}
            onSubmit={async (address) => {
              rememberLinkSharedDevice(app, sharedDevice, localStorage);
              await requestMagicLink(address, linkCallbackUrl(base), linkCallbackUrl(base));
              goTo({ name: 'check-email', reason: 'link', email: address });
            }}
          />
        );
      case 'forgot':
        return (
          <EmailStep
            testId="forgot-password"
            title={t('forgotPassword.title')}
            hint={t('forgotPassword.hint')}
            submitLabel={t('forgotPassword.submit')}
            email={email}
            onEmailChange={setEmail}
            onSubmit={async (address) => {
              await requestPasswordReset(address, resetRedirectUrl(base));
              goTo({ name: 'check-email', reason: 'reset', email: address });
            }}
          />
        );
      case 'check-email':
        return <CheckEmailStep reason={step.reason} email={step.email} onResend={step.reason === 'verify' ? () => sendConfirmation(step.email) : null} />;
      case 'code':
        return (
          <CodeStep
            onCode={async (code) => {
              await verifyTotp(code);
              await finish(sharedDevice);
            }}
          />
        );
      case 'enrol':
        return (
          <EnrolStep
            knownPassword={password.current}
            onConfirm={async (code) => {
              await verifyTotp(code);
              await finish(sharedDevice);
            }}
          />
        );
    }
  })();

  return (
    <div className="sign-in-flow">
      {body}
      <nav className="auth-links" aria-label={t('signIn.realAccount')}>
        {step.name !== 'password' && (
          <button type="button" className="link-button" onClick={() => goTo({ name: 'password' })}>
            {t('signIn.backToSignIn')}
          </button>
        )}
        {step.name === 'password' && (
          <button type="button" className="link-button" onClick={() => goTo({ name: 'forgot' })}>
            {t('signIn.forgotPassword')}
          </button>
        )}
        {step.name === 'password' && !reauthenticating && (
          <>
            <button type="button" className="link-button" onClick={() => goTo({ name: 'link' })}>
              {t('signIn.emailLink')}
            </button>
            <button type="button" className="link-button" onClick={() => goTo({ name: 'sign-up' })}>
              {t('signIn.createAccount')}
            </button>
          </>
        )}
      </nav>
    </div>
  );
}
