import { expect, request, test, type APIRequestContext, type Page } from '@playwright/test';
import { totpCode } from '../infra/test/totp.ts';
import { addMembership } from '../seeds/factories.ts';
import { database, linkFromMailbox, origin, pendingCount, REAL_PASSWORD, row } from './support.ts';

/**
 * Real sign-in (better-auth) in the apps, against the whole stack: sign-up and the confirmation
 * link from the development mailbox, a sign-in link, a second factor set up at sign-in and on the
 * account page, tokens renewed without losing queued writes, a session revoked elsewhere, clinic
 * switching, and sign-out leaving nothing of the person in IndexedDB.
 */

type StoredSession = { token: string; context: { principalId: string; organizationId: string | null } };

async function storedSession(page: Page, app: string): Promise<StoredSession> {
  const raw = await page.evaluate((key) => localStorage.getItem(key), `restartix-${app}-session`);
  if (raw === null) throw new Error('no stored session');
  return JSON.parse(raw) as StoredSession;
}

const sessionIdOf = (token: string): unknown => (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sid?: unknown }).sid;

async function contextStatus(token: string): Promise<number> {
  return (await fetch(`${origin()}/api/session`, { headers: { authorization: `Bearer ${token}` } })).status;
}

async function databaseNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).flatMap((info) => (info.name === undefined ? [] : [info.name])));
}

/** Another device of the same person, outside the browser: password, then the code. */
async function otherDevice(email: string, totpURI: string): Promise<APIRequestContext> {
  const device = await request.newContext({ baseURL: origin(), extraHTTPHeaders: { origin: origin() } });
  const first = await device.post('/api/auth/sign-in/email', { data: { email, password: REAL_PASSWORD } });
  expect(await first.json()).toMatchObject({ twoFactorRedirect: true });
  expect((await device.post('/api/auth/two-factor/verify-totp', { data: { code: totpCode(totpURI) } })).status()).toBe(200);
  return device;
}

async function signUp(page: Page, name: string, email: string): Promise<void> {
  await page.getByRole('button', { name: 'Create an account' }).click();
  const form = page.getByTestId('sign-up');
  await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Email').fill(email);
  const password = form.getByLabel('Choose a password');
  // The rules are said before anyone gets them wrong, and the server's refusal shows at the field.
  await expect(form.getByText(/At least 15 characters/)).toBeVisible();
  await password.fill('genunchi umar');
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('This password is too short.', { exact: false })).toBeVisible();
  await password.fill('1qaz2wsx3edc4rfv');
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(form.getByText('This password is too common or too easy to guess. Choose another one.')).toBeVisible();
  await password.fill(REAL_PASSWORD);
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('check-email')).toHaveAttribute('data-reason', 'verify');
}

test('a new person signs up in the portal, signs in by link, adds a second factor and manages sessions', async ({ browser }) => {
  const email = `pacient-${String(Date.now())}@example.test`;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin()}/portal/`);
  await signUp(page, 'Pacient Nou', email);

  // Not before the address is confirmed; the screen offers to send the link again.
  await page.getByRole('button', { name: 'Back to sign-in' }).click();
  await page.getByTestId('password-sign-in').getByLabel('Email').fill(email);
  await page.getByTestId('password-sign-in').getByLabel('Password').fill(REAL_PASSWORD);
  await page.getByTestId('password-sign-in').getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('Confirm your email address first: open the link we sent you.')).toBeVisible();
  await page.getByRole('button', { name: 'Send the confirmation link again' }).click();
  await expect(page.getByTestId('check-email')).toHaveAttribute('data-reason', 'verify');

  // The confirmation link signs the person in, on the empty home.
  await page.goto(await linkFromMailbox(email, '/api/auth/verify-email'));
  await expect(page.getByTestId('portal-empty')).toBeVisible();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  expect(page.url()).toBe(`${origin()}/portal/`);
  const { context: signedIn } = await storedSession(page, 'portal');

  // Sign-out leaves nothing of this person in IndexedDB (outbox and Zero's store).
  await page.waitForTimeout(1_500);
  expect((await databaseNames(page)).some((name) => name.includes(signedIn.principalId))).toBe(true);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  await expect.poll(async () => (await databaseNames(page)).filter((name) => name.includes(signedIn.principalId))).toEqual([]);

  // A sign-in link by email brings the same person back.
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByTestId('email-link').getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByTestId('check-email')).toHaveAttribute('data-reason', 'link');
  await page.goto(await linkFromMailbox(email, '/api/auth/magic-link/verify'));
  await expect(page.getByTestId('portal-empty')).toBeVisible();
  const before = await storedSession(page, 'portal');
  expect(before.context.principalId).toBe(signedIn.principalId);

  // Offline, the app opens for the last signed-in person.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('portal-empty')).toBeVisible();
  await expect(page.getByTestId('user-name')).toHaveText('Pacient Nou');
  await context.setOffline(false);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');

  // A second factor from the account page. better-auth replaces the session when it is turned on,
  // so the current access token dies at once: the app takes a new one from the cookie and keeps
  // the same Zero connection.
  await page.getByTestId('account-link').click();
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await expect(page.getByTestId('second-factor')).toHaveAttribute('data-enabled', 'false');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.getByTestId('second-factor').getByLabel('Your password').fill(REAL_PASSWORD);
  await page.getByRole('button', { name: 'Set it up' }).click();
  const totpURI = (await page.getByTestId('totp-uri').textContent()) ?? '';
  expect(totpURI).toMatch(/^otpauth:\/\/totp\//);
  await expect(page.getByTestId('backup-codes').getByRole('listitem')).toHaveCount(10);
  await page.getByTestId('totp-setup').getByLabel('Code').fill(totpCode(totpURI));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText('The second factor is on.')).toBeVisible();
  await expect(page.getByTestId('second-factor')).toHaveAttribute('data-enabled', 'true');

  const after = await storedSession(page, 'portal');
  expect(after.token).not.toBe(before.token);
  expect(sessionIdOf(after.token)).not.toBe(sessionIdOf(before.token));
  expect(await contextStatus(before.token)).toBe(401);
  expect(await contextStatus(after.token)).toBe(200);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');

  // Sessions: another device appears in the list, and "everywhere else" ends it.
  const device = await otherDevice(email, totpURI);
  await page.reload();
  await expect(page.getByTestId('device-session')).toHaveCount(2);
  await expect(page.getByTestId('device-session').and(page.locator('[data-current="true"]'))).toHaveCount(1);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(page.getByTestId('device-session')).toHaveCount(1);
  expect(await (await device.get('/api/auth/get-session')).json()).toBeNull();
  await device.dispose();

  // A forgotten password: the emailed link opens the reset page; then password and code sign in.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('button', { name: 'Forgot your password?' }).click();
  await page.getByTestId('forgot-password').getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByTestId('check-email')).toHaveAttribute('data-reason', 'reset');
  await page.goto(await linkFromMailbox(email, '/api/auth/reset-password/'));
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  // The token leaves the address bar at once.
  expect(page.url()).toBe(`${origin()}/portal/`);
  const newPassword = 'umar cot genunchi glezna sold';
  await page.getByLabel('New password').fill(newPassword);
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByText('Your password is changed. Sign in with it.')).toBeVisible();
  await page.getByRole('button', { name: 'Go to sign-in' }).click();
  const form = page.getByTestId('password-sign-in');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(REAL_PASSWORD);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('The email or the password is not right.')).toBeVisible();
  await form.getByLabel('Password').fill(newPassword);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('totp-step').getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('This code is not right. Enter the code your app shows now.')).toBeVisible();
  await page.getByTestId('totp-step').getByLabel('Code').fill(totpCode(totpURI));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('portal-empty')).toBeVisible();
  await context.close();
});

test('a clinic owner signs up, sets up the required second factor, keeps writes through renewed and revoked sessions, and switches clinic', async ({ browser }) => {
  test.setTimeout(240_000);
  const sql = database();
  const email = 'owner@motion.test';
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin()}/clinic/`);
  await signUp(page, 'Andrei Stan', email);

  // Confirmed on another device (the link opened on a phone): this browser is still signed out.
  const confirmation = await fetch(await linkFromMailbox(email, '/api/auth/verify-email'), { redirect: 'manual' });
  expect(confirmation.status).toBeLessThan(400);
  await page.getByRole('button', { name: 'Back to sign-in' }).click();
  const signInForm = page.getByTestId('password-sign-in');
  await signInForm.getByLabel('Email').fill(email);
  await signInForm.getByLabel('Password').fill(REAL_PASSWORD);
  await signInForm.getByRole('button', { name: 'Sign in', exact: true }).click();

  // An owner must have a second factor: it is set up right here, then the clinic syncs.
  const enrol = page.getByTestId('enrol-second-factor');
  await expect(enrol).toBeVisible();
  await enrol.getByRole('button', { name: 'Set it up' }).click();
  const totpURI = (await page.getByTestId('totp-uri').textContent()) ?? '';
  await page.getByTestId('totp-setup').getByLabel('Code').fill(totpCode(totpURI));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('location-row')).toHaveCount(3);
  await expect(row(page, 'Motion Brașov')).toBeVisible();
  await expect(page.getByTestId('user-name')).toHaveText('Andrei Stan');
  await expect(page.getByTestId('organization-name')).toHaveText(/Motion Physio/);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const first = await storedSession(page, 'clinic');

  // The same browser's Portal tab signs in on its own (a new session replaces the shared cookie)
  // and, from its account page, signs out everywhere else: that ends the session the Clinic tab's
  // token belongs to. The Clinic tab's next write is refused (needs-auth); the app takes a new
  // token from the browser's cookie by itself, and the write lands.
  const portal = await context.newPage();
  await portal.goto(`${origin()}/portal/`);
  const portalForm = portal.getByTestId('password-sign-in');
  await portalForm.getByLabel('Email').fill(email);
  await portalForm.getByLabel('Password').fill(REAL_PASSWORD);
  await portalForm.getByRole('button', { name: 'Sign in', exact: true }).click();
  await portal.getByTestId('totp-step').getByLabel('Code').fill(totpCode(totpURI));
  await portal.getByRole('button', { name: 'Continue' }).click();
  await expect(portal.getByTestId('portal-empty')).toBeVisible();
  await portal.getByTestId('account-link').click();
  // The phone that opened the confirmation link (it signs in), the Clinic tab's session, this one.
  await expect(portal.getByTestId('device-session')).toHaveCount(3);
  await portal.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(portal.getByTestId('device-session')).toHaveCount(1);
  expect(await contextStatus(first.token)).toBe(401);

  await page.bringToFront();
  await row(page, 'Motion Timișoara').getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Name').fill('Motion Timișoara Nord');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(row(page, 'Motion Timișoara Nord')).toBeVisible();
  await expect.poll(async () => (await sql<{ n: number }[]>`select count(*)::int as n from locations where name = 'Motion Timișoara Nord'`)[0]?.n, { timeout: 60_000 }).toBe(1);
  await pendingCount(page, 0);
  await expect(row(page, 'Motion Timișoara Nord')).toHaveAttribute('data-pending', 'false');
  await expect(page.getByTestId('session-ended')).toHaveCount(0);
  const renewed = await storedSession(page, 'clinic');
  expect(sessionIdOf(renewed.token)).toBe(sessionIdOf((await storedSession(portal, 'portal')).token));
  await portal.close();

  // Offline, a rename is queued; meanwhile the owner signs out this browser from another device.
  await context.setOffline(true);
  await row(page, 'Motion Brașov').getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Name').fill('Motion Brașov Centru');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await pendingCount(page, 1);
  const device = await otherDevice(email, totpURI);
  expect((await device.post('/api/auth/revoke-other-sessions', { data: {} })).status()).toBe(200);

  // Back online the old token is refused, and so is a renewal from the dead cookie: the app asks
  // the same person to sign in again, keeping the queued write.
  await context.setOffline(false);
  const ended = page.getByTestId('session-ended');
  await expect(ended).toBeVisible({ timeout: 60_000 });
  await pendingCount(page, 1);
  expect((await sql`select count(*)::int as n from locations where name = 'Motion Brașov Centru'`)[0]?.n).toBe(0);
  await expect(ended.getByLabel('Email')).toHaveValue(email);
  await ended.getByLabel('Password').fill(REAL_PASSWORD);
  await ended.getByRole('button', { name: 'Sign in', exact: true }).click();
  await ended.getByLabel('Code').fill(totpCode(totpURI));
  await ended.getByRole('button', { name: 'Continue' }).click();

  // Same person, same Zero and outbox: the write lands once, with a new token.
  await expect(ended).toHaveCount(0);
  await pendingCount(page, 0, 60_000);
  await expect(row(page, 'Motion Brașov Centru')).toHaveAttribute('data-pending', 'false');
  expect((await sql`select count(*)::int as n from locations where name = 'Motion Brașov Centru'`)[0]?.n).toBe(1);
  const second = await storedSession(page, 'clinic');
  expect(second.context.principalId).toBe(first.context.principalId);
  expect(sessionIdOf(second.token)).not.toBe(sessionIdOf(renewed.token));
  await device.dispose();

  // A second clinic: the switcher appears once the membership syncs.
  const [kinetic] = await sql<{ id: string }[]>`select id from organizations where slug = 'kinetic'`;
  await addMembership(sql, kinetic?.id ?? '', first.context.principalId, 'staff');
  const switcher = page.getByTestId('clinic-switcher');
  await expect(switcher).toBeVisible({ timeout: 60_000 });

  // Not while a write for this clinic is unconfirmed: it would be replayed with the other clinic's token.
  await context.setOffline(true);
  await row(page, 'Motion Iași').getByRole('button', { name: 'Deactivate' }).click();
  await pendingCount(page, 1);
  await switcher.selectOption({ label: 'Kinetic Recuperare' });
  await expect(page.locator('[data-testid="notice"] .notice[data-code="SWITCH_PENDING"]')).toBeVisible();
  await expect(page.getByTestId('organization-name')).toHaveText(/Motion Physio/);
  await context.setOffline(false);
  await pendingCount(page, 0, 60_000);

  await switcher.selectOption({ label: 'Kinetic Recuperare' });
  await expect(page.getByTestId('organization-name')).toHaveText(/Kinetic Recuperare/);
  // Kinetic's slice only (other specs may have added Kinetic locations; the count is theirs).
  await expect(row(page, 'Kinetic Centru')).toBeVisible();
  await expect(page.getByTestId('location-row').filter({ hasText: 'Motion' })).toHaveCount(0);
  // Staff there: read-only.
  await expect(page.getByRole('link', { name: 'New location' })).toHaveCount(0);
  const switched = await storedSession(page, 'clinic');
  expect(switched.context.organizationId).toBe(kinetic?.id);
  expect(await contextStatus(switched.token)).toBe(200);

  // Sign-out wipes this person's outbox and every Zero store from the device. (The Portal tab's
  // own outbox stays with the Portal's session, which still has to sign out on its own.)
  await page.waitForTimeout(1_500);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  await expect
    .poll(async () => (await databaseNames(page)).filter((name) => name.includes(first.context.principalId) && !name.startsWith('restartix-portal-')))
    .toEqual([]);
  await context.close();
  await sql.end();
});
