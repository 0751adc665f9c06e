import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { totpCode } from '../infra/test/totp.ts';
import { addMembership } from '../seeds/factories.ts';
import { confirmedAccount, database, origin, REAL_PASSWORD, row } from './support.ts';

/**
 * Passkeys in real Chromium, with a CDP virtual authenticator standing in for the device's screen
 * lock (PIN or biometric): added on the account page, then the first way in on the sign-in screen,
 * and enough on its own for a role that must have a second factor (docs/adr/0010-passkeys.md).
 */

/**
 * The device's authenticator: holds passkeys, checks the person (PIN or biometric) when asked.
 * A virtual authenticator answers the email field's autofill request (conditional mediation) at
 * once, as if the person had picked the passkey from the suggestions; so the page sees passkey
 * autofill only while `autofill(true)`, otherwise it behaves like a browser without it.
 */
async function withAuthenticator(page: Page) {
  await page.addInitScript(() => {
    const available = PublicKeyCredential.isConditionalMediationAvailable.bind(PublicKeyCredential);
    PublicKeyCredential.isConditionalMediationAvailable = async () => sessionStorage.getItem('e2e-passkey-autofill') === 'on' && (await available());
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    /** false: the person fails the PIN or biometric (or cancels it). */
    verifyPerson: (verified: boolean) => cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: verified }),
    autofill: (on: boolean) => page.evaluate((value) => { sessionStorage.setItem('e2e-passkey-autofill', value); }, on ? 'on' : 'off'),
  };
}

async function signInWithPassword(page: Page, email: string): Promise<void> {
  const form = page.getByTestId('password-sign-in');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(REAL_PASSWORD);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function addPasskey(page: Page, name: string): Promise<void> {
  await page.getByTestId('account-link').click();
  const section = page.getByTestId('passkeys');
  await expect(section.getByText('You have no passkeys yet.')).toBeVisible();
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  const nameField = section.getByLabel('Name for this passkey');
  // Named after this browser until the person says otherwise.
  await expect(nameField).toHaveValue(/Chrome/);
  await nameField.fill(name);
  await section.getByRole('button', { name: 'Create the passkey' }).click();
  await expect(section.getByText('The passkey is added. Next time, sign in with it.')).toBeVisible();
  await expect(section.getByTestId('passkey-row')).toHaveCount(1);
  await expect(section.getByTestId('passkey-row').getByRole('rowheader')).toHaveText(name);
}

/** Signs out from the app's home, so that the next sign-in lands there. */
async function signOut(page: Page, app: 'portal' | 'clinic'): Promise<void> {
  await page.goto(`${origin()}/${app}/`);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
}

async function storedToken(page: Page, app: string): Promise<string> {
  const raw = await page.evaluate((key) => localStorage.getItem(key), `restartix-${app}-session`);
  if (raw === null) throw new Error('no stored session');
  return (JSON.parse(raw) as { token: string }).token;
}

let context: BrowserContext | null = null;
test.afterEach(async () => {
  await context?.close();
  context = null;
});

test('a patient adds a passkey on the account page, then signs in with it first thing', async ({ browser }) => {
  const email = `pacient-cheie-${String(Date.now())}@example.test`;
  await confirmedAccount(email, 'Pacient Cheie');
  context = await browser.newContext();
  const page = await context.newPage();
  const device = await withAuthenticator(page);
  // Every app's sign-in screen offers it.
  for (const app of ['console', 'clinic']) {
    await page.goto(`${origin()}/${app}/`);
    await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeVisible();
  }
  await page.goto(`${origin()}/portal/`);

  // Passkey first, the password form after it; the email field also offers passkeys as suggestions.
  const passkeyButton = page.getByRole('button', { name: 'Sign in with a passkey' });
  await expect(passkeyButton).toBeVisible();
  const passwordFormFollows = await page
    .getByTestId('passkey-sign-in')
    .evaluate((passkey) => Boolean(passkey.compareDocumentPosition(document.querySelector('[data-testid="password-sign-in"]') as Node) & Node.DOCUMENT_POSITION_FOLLOWING));
  expect(passwordFormFollows).toBe(true);
  await expect(page.getByTestId('password-sign-in').getByLabel('Email')).toHaveAttribute('autocomplete', 'username webauthn');

  // No passkey on this device yet: the browser finds none to offer, and the screen says what to do.
  await passkeyButton.click();
  await expect(page.getByText('The passkey request was cancelled or timed out. Try again, or sign in another way.')).toBeVisible();

  await signInWithPassword(page, email);
  await expect(page.getByTestId('portal-empty')).toBeVisible();
  expect(decodeJwt(await storedToken(page, 'portal')).mfa).toBe(false);
  await addPasskey(page, 'Laptopul de acasă');
  expect(await device.credentials()).toHaveLength(1);
  await signOut(page, 'portal');

  // The person's PIN or biometric fails: nothing happens but a clear message.
  await device.verifyPerson(false);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByTestId('passkey-sign-in').getByTestId('form-error')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  await device.verifyPerson(true);

  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByTestId('portal-empty')).toBeVisible();
  await expect(page.getByTestId('user-name')).toHaveText('Pacient Cheie');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  expect(decodeJwt(await storedToken(page, 'portal')).mfa).toBe(true);

  // In a browser with passkey autofill, the email field offers it: picking it signs in just the same.
  await signOut(page, 'portal');
  await device.autofill(true);
  await page.reload();
  await expect(page.getByTestId('portal-empty')).toBeVisible();
  expect(decodeJwt(await storedToken(page, 'portal')).mfa).toBe(true);
  await device.autofill(false);

  // Deleted (after a confirmation), it signs nobody in any more, and the screen says why.
  await page.getByTestId('account-link').click();
  const section = page.getByTestId('passkeys');
  await section.getByRole('button', { name: 'Delete the passkey Laptopul de acasă' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this passkey?' });
  await expect(dialog.getByText('You will no longer be able to sign in with “Laptopul de acasă”.', { exact: false })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(section.getByTestId('passkey-row')).toHaveCount(1);
  await section.getByRole('button', { name: 'Delete the passkey Laptopul de acasă' }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(section.getByText('The passkey is deleted.')).toBeVisible();
  await expect(section.getByTestId('passkey-row')).toHaveCount(0);
  await signOut(page, 'portal');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByText('This passkey is not registered with us (it may have been deleted).', { exact: false })).toBeVisible();
});

test('a clinic owner, who must have a second factor, gets straight in with a passkey: no code', async ({ browser }) => {
  const sql = database();
  try {
    const email = `proprietar-cheie-${String(Date.now())}@example.test`;
    const principalId = await confirmedAccount(email, 'Proprietar Cheie');
    const [kinetic] = await sql<{ id: string }[]>`select id from organizations where slug = 'kinetic'`;
    await addMembership(sql, kinetic?.id ?? '', principalId, 'owner');

    context = await browser.newContext();
    const page = await context.newPage();
    await withAuthenticator(page);
    await page.goto(`${origin()}/clinic/`);

    // With the password, an owner must set up the second factor first.
    await signInWithPassword(page, email);
    const enrol = page.getByTestId('enrol-second-factor');
    await expect(enrol).toBeVisible();
    await enrol.getByRole('button', { name: 'Set it up' }).click();
    const totpURI = (await page.getByTestId('totp-uri').textContent()) ?? '';
    await page.getByTestId('totp-setup').getByLabel('Code').fill(totpCode(totpURI));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(row(page, 'Kinetic Centru')).toBeVisible();

    await addPasskey(page, 'Calculatorul de la recepție');
    await signOut(page, 'clinic');

    // The passkey is both factors: straight into the clinic, no code step.
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(row(page, 'Kinetic Centru')).toBeVisible();
    await expect(page.getByTestId('organization-name')).toHaveText(/Kinetic Recuperare/);
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('totp-step')).toHaveCount(0);
    await expect(page.getByTestId('enrol-second-factor')).toHaveCount(0);
    const token = await storedToken(page, 'clinic');
    expect(decodeJwt(token).mfa).toBe(true);
    const context_ = await fetch(`${origin()}/api/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(context_.status).toBe(200);
    expect(await context_.json()).toMatchObject({ context: { membershipRole: 'owner' } });

    // The password still asks for the code.
    await signOut(page, 'clinic');
    await signInWithPassword(page, email);
    await expect(page.getByTestId('totp-step')).toBeVisible();
    await page.getByTestId('totp-step').getByLabel('Code').fill(totpCode(totpURI));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(row(page, 'Kinetic Centru')).toBeVisible();
    expect(decodeJwt(await storedToken(page, 'clinic')).mfa).toBe(true);
  } finally {
    await sql.end();
  }
});
