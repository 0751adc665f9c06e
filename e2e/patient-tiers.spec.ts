import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { createPatient } from '../seeds/factories.ts';
import { confirmedAccount, database, origin, pendingCount, REAL_PASSWORD, signIn } from './support.ts';

/**
 * Patient tiers (issue 5, item 5): a clinic owner offers, edits and archives a tier in the Clinic,
 * subscribes a patient on the patient's page and marks a payment overdue, and the patient finds it in
 * the Portal under "My subscriptions".
 */

test('an owner offers a tier, subscribes a patient, edits and archives it; the patient sees the subscription in the Portal', async ({ browser }) => {
  const sql = database();
  const suffix = randomBytes(3).toString('hex');
  const name = `Recuperare ${suffix}`;
  const { page, context } = await signIn(browser, 'clinic', 'owner@kinetic.test');

  await page.getByTestId('clinic-nav').getByRole('link', { name: 'Patient tiers' }).click();
  await expect(page.getByRole('heading', { name: 'Patient tiers' })).toBeVisible();
  await page.getByRole('button', { name: 'New tier' }).click();
  const form = page.getByTestId('tier-form');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Description').fill('Două ședințe pe săptămână');
  // "1.500,00" could be read two ways: the field refuses it rather than guess.
  const price = form.getByLabel('Price');
  await price.fill('1.500,00');
  await form.getByRole('button', { name: 'Create tier' }).click();
  await expect(price).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Enter a price such as 150 or 150.50', { exact: false })).toBeVisible();
  await price.fill('149,50');
  await form.getByLabel('Billing period').selectOption({ label: 'Monthly' });
  await form.getByRole('button', { name: 'Create tier' }).click();
  await pendingCount(page, 0);

  const row = page.getByTestId('tier-row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });
  const shown = `${new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'RON' }).format(149.5)} a month`;
  await expect(row.getByTestId('tier-price')).toHaveText(shown);
  await expect(row).toHaveAttribute('data-status', 'active');
  // The row shows at once from the device; the server's copy follows when the push is confirmed.
  const storedTier = async () => (await sql<{ id: string; organization_id: string; price_minor: number; currency: string; billing_period: string; created_by: string }[]>`
    select t.id, t.organization_id, t.price_minor, t.currency, t.billing_period, t.created_by from patient_tiers t where t.name = ${name}`)[0];
  await expect.poll(storedTier).toMatchObject({ price_minor: 14950, currency: 'RON', billing_period: 'month' });
  const tier = await storedTier();
  const [owner] = await sql<{ principal_id: string }[]>`select principal_id from humans where email = 'owner@kinetic.test'`;
  expect(tier?.created_by).toBe(owner?.principal_id);

  // A second offered tier of the same name is refused at its field.
  await page.getByRole('button', { name: 'New tier' }).click();
  await form.getByLabel('Name').fill(name.toUpperCase());
  await price.fill('10');
  await form.getByRole('button', { name: 'Create tier' }).click();
  await expect(form.getByText('The clinic already offers a tier with this name.')).toBeVisible();
  await form.getByRole('button', { name: 'Cancel' }).click();

  // A fresh patient of the clinic, with an account. On their page, the owner subscribes them.
  const email = `pacient-nivel-${suffix}@example.test`;
  const principalId = await confirmedAccount(email, 'Pacient Nivel');
  const { patientId } = await createPatient(sql, tier?.organization_id ?? '', { principalId, givenName: 'Pacient', familyName: 'Nivel', createdBy: principalId });
  await page.goto(`${origin()}/clinic/patients/${patientId}`);
  const panel = page.getByTestId('patient-subscriptions');
  await expect(panel.getByTestId('subscriptions-empty')).toHaveText('This patient has no subscription.');
  const subscribe = panel.getByTestId('subscribe-form');
  await subscribe.getByLabel('Tier').selectOption({ label: `${name} (${shown})` });
  await subscribe.getByLabel('Starts as').selectOption({ label: 'Active' });
  await subscribe.getByRole('button', { name: 'Subscribe' }).click();
  const subscription = panel.getByTestId('subscription');
  await expect(subscription).toHaveAttribute('data-status', 'active');
  await expect(subscription).toContainText(name);
  // One live subscription at a time: the form is gone until this one ends.
  await expect(subscribe).toHaveCount(0);
  await subscription.getByRole('button', { name: 'Mark payment overdue' }).click();
  await expect(subscription).toHaveAttribute('data-status', 'past_due');
  await pendingCount(page, 0);
  const [stored] = await sql<{ status: string; tier_id: string; created_by: string; updated_by: string }[]>`
    select status, tier_id, created_by, updated_by from patient_subscriptions where patient_id = ${patientId}`;
  expect(stored).toEqual({ status: 'past_due', tier_id: tier?.id, created_by: owner?.principal_id, updated_by: owner?.principal_id });

  await page.getByTestId('clinic-nav').getByRole('link', { name: 'Patient tiers' }).click();
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');

  // Its name can still change; its price terms cannot, and the form says why.
  await row.getByRole('button', { name: 'Edit' }).click();
  await expect(price).toHaveAttribute('readonly', '');
  await expect(form.getByText('Patients have subscribed to this tier', { exact: false })).toBeVisible();
  await form.getByLabel('Name').fill(`${name} plus`);
  await form.getByRole('button', { name: 'Save changes' }).click();
  await pendingCount(page, 0);
  const renamed = page.getByTestId('tier-row').and(page.locator(`[data-tier-id="${tier?.id ?? ''}"]`));
  await expect(renamed.getByRole('rowheader')).toContainText(`${name} plus`);
  await expect(renamed.getByTestId('tier-price')).toHaveText(shown);

  // Archiving asks first; the subscription runs on.
  await renamed.getByRole('button', { name: 'Archive' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Archive' }).click();
  await expect(renamed).toHaveAttribute('data-status', 'archived');
  await pendingCount(page, 0);
  expect(await sql`select status from patient_subscriptions where patient_id = ${patientId}`).toEqual([{ status: 'past_due' }]);
  await context.close();

  // The patient signs in to the Portal and finds it, with the clinic's name and the price.
  const patientContext = await browser.newContext();
  const portal = await patientContext.newPage();
  await portal.goto(`${origin()}/portal/`);
  const signInForm = portal.getByTestId('password-sign-in');
  await signInForm.getByLabel('Email').fill(email);
  await signInForm.getByLabel('Password').fill(REAL_PASSWORD);
  await signInForm.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(portal.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await portal.getByLabel(/Limbă|Language/).selectOption('en');
  await portal.goto(`${origin()}/portal/subscriptions`);
  await expect(portal.getByRole('heading', { name: 'My subscriptions', level: 1 })).toBeVisible();
  const clinic = portal.getByTestId('my-subscription-clinic');
  await expect(clinic).toHaveCount(1);
  await expect(clinic.getByRole('heading')).toHaveText('Kinetic Recuperare');
  const mine = clinic.getByTestId('my-subscription');
  await expect(mine).toHaveAttribute('data-status', 'past_due');
  await expect(mine).toContainText(`${name} plus`);
  await expect(mine).toContainText(shown);
  await expect(mine).toContainText('Payment overdue');
  await patientContext.close();
  await sql.end();
});
