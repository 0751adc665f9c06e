import { expect, test, type Browser, type Page } from '@playwright/test';
import { database, linkFromMailbox, origin, REAL_PASSWORD, signIn } from './support.ts';

/**
 * The consent ledger and privacy notices through the apps (issue 5, items 2–4): a clinic publishes
 * its privacy notice; a new patient joins by share-link, reads the consent block, accepts, turns
 * reminders on, later off, and sees the whole trail; until onboarding the clinic sees nothing of
 * them, afterwards it sees their consents, reminders off.
 */

/** A new person opens `link` signed out, signs up, confirms from the mailbox and is taken back to it. */
async function newcomerFollows(browser: Browser, link: string, name: string, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  await expect(page.getByTestId('pending-link-hint')).toBeVisible();
  await page.getByRole('button', { name: 'Create an account' }).click();
  const form = page.getByTestId('sign-up');
  await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Choose a password').fill(REAL_PASSWORD);
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('check-email')).toHaveAttribute('data-reason', 'verify');
  await page.goto(await linkFromMailbox(email, '/api/auth/verify-email'));
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  return page;
}

test('a clinic publishes its notice; a patient joins by share-link, consents, withdraws, and the clinic sees it', async ({ browser }) => {
  const sql = database();
  const { page: admin } = await signIn(browser, 'clinic', 'admin@kinetic.test');

  // The clinic's privacy notice: placeholders filled, a section picked, previewed, published.
  await admin.getByTestId('clinic-nav').getByRole('link', { name: 'Privacy notice' }).click();
  const notice = admin.getByTestId('notice-form');
  await expect(notice.getByLabel('Clinic name')).toHaveValue('Kinetic Recuperare');
  await notice.getByRole('button', { name: 'Publish' }).click();
  await expect(notice.getByLabel('Data protection officer contact')).toHaveAttribute('aria-invalid', 'true');
  await notice.getByLabel('Data protection officer contact').fill('dpo@kinetic.test');
  await notice.getByLabel('How long records are kept').fill('10 years');
  await notice.getByLabel('Exercises at home').check();
  await notice.getByRole('button', { name: 'Preview' }).click();
  await expect(admin.getByTestId('notice-preview')).toContainText('Kinetic Recuperare is the controller of your personal and health data');
  await expect(admin.getByTestId('notice-preview').getByRole('heading', { name: 'Exercises at home' })).toBeVisible();
  await notice.getByRole('button', { name: 'Publish' }).click();
  await expect(admin.getByTestId('notice-published')).toHaveText(/Version \d+ is published\./);

  // A share-link for the poster.
  await admin.getByTestId('clinic-nav').getByRole('link', { name: 'Share links' }).click();
  await admin.getByTestId('share-link-form').getByLabel('Label').fill('Afiș consimțăminte');
  await admin.getByTestId('share-link-form').getByRole('button', { name: 'Create share link' }).click();
  const joinUrl = (await admin.getByTestId('share-poster').getByTestId('join-url').getAttribute('href')) ?? '';
  expect(joinUrl.startsWith(`${origin()}/portal/join?code=`)).toBe(true);

  // The patient joins, and is asked to finish joining: until then the clinic sees nothing of them.
  const email = `pacient-consimt-${String(Date.now())}@example.test`;
  const patient = await newcomerFollows(browser, joinUrl, 'Irina Consimțământ', email);
  await patient.getByRole('button', { name: 'Join' }).click();
  await expect(patient.getByTestId('join-done')).toHaveText('You have joined Kinetic Recuperare.');
  const [record] = await sql<{ id: string; profile_shared_at: Date | null }[]>`
    select p.id, p.profile_shared_at from patients p join humans h on h.principal_id = p.principal_id
    join organizations o on o.id = p.organization_id where h.email = ${email} and o.slug = 'kinetic'`;
  expect(record?.profile_shared_at).toBeNull();
  // Every page the patient opens next asks them to finish joining.
  await patient.getByTestId('join-done').locator('..').getByRole('link', { name: 'Go to the home page' }).click();
  const prompt = patient.getByTestId('consent-gate-onboarding');
  await expect(prompt).toContainText('You have not finished joining Kinetic Recuperare.');
  await prompt.getByRole('link', { name: 'Finish joining' }).click();

  // The consent block: terms, the clinic's notice, optional purposes off by default.
  const block = patient.getByTestId('consent-block');
  await expect(block.getByTestId('consent-terms')).toContainText('Using RestartiX');
  await expect(block.getByTestId('consent-notice')).toContainText('dpo@kinetic.test');
  await expect(block.getByLabel('Appointment and exercise reminders')).not.toBeChecked();
  await expect(block.getByLabel('News and offers from the clinic')).not.toBeChecked();
  await block.getByRole('button', { name: 'Finish joining' }).click();
  await expect(block.getByText('Accept the terms of use to continue.')).toBeVisible();
  await expect(block.getByLabel('I have read the clinic\'s privacy notice')).toHaveAttribute('aria-invalid', 'true');
  await block.getByLabel('I have read and accept the terms of use').check();
  await block.getByLabel('I have read the clinic\'s privacy notice').check();
  await block.getByLabel('Appointment and exercise reminders').check();
  await block.getByRole('button', { name: 'Finish joining' }).click();
  await expect(patient.getByTestId('onboarding-done')).toContainText('You have joined Kinetic Recuperare. The clinic can now see your details.');
  // Joining ends with the person's profile, which the clinic now sees.
  await expect(patient.getByTestId('onboarding-done').getByRole('link', { name: 'Check and complete your profile' })).toHaveAttribute('href', '/portal/profile');
  await expect.poll(async () => (await sql<{ shared: boolean }[]>`select profile_shared_at is not null as shared from patients where id = ${record?.id ?? ''}`)[0]?.shared).toBe(true);

  // The consents page: reminders off at once, and the whole trail.
  await patient.getByTestId('portal-nav').getByRole('link', { name: 'Your consents' }).click();
  const clinic = patient.getByTestId('consents-clinic');
  const reminders = clinic.getByLabel('Appointment and exercise reminders');
  await expect(reminders).toBeChecked();
  await reminders.uncheck();
  await expect(reminders).not.toBeChecked();
  const trail = patient.getByTestId('consent-trail-row');
  await expect(trail).toHaveCount(4);
  await expect(trail.nth(0)).toHaveAttribute('data-action', 'withdraw');
  await expect(trail.nth(0)).toContainText('Appointment and exercise reminders');
  await expect(trail.nth(0)).toContainText('Consents page');
  await expect(patient.getByTestId('consent-trail')).toContainText('Read and accepted');
  await expect(patient.getByTestId('consent-trail')).toContainText('When joining');
  const purposes = await sql<{ purpose: string; action: string }[]>`
    select l.purpose, l.action from consent_ledger l join humans h on h.principal_id = l.principal_id where h.email = ${email} order by l.seq`;
  expect(purposes).toEqual([
    { purpose: 'platform_terms', action: 'grant' },
    { purpose: 'privacy_notice', action: 'grant' },
    { purpose: 'reminders', action: 'grant' },
    { purpose: 'reminders', action: 'withdraw' },
  ]);

  // The clinic sees the patient's consents: reminders withdrawn, the notice acknowledged.
  await admin.goto(`${origin()}/clinic/patients/${record?.id ?? ''}/consents`);
  const view = admin.getByTestId('patient-consents');
  await expect(view).toHaveAttribute('data-state', 'ready');
  await expect(view.getByTestId('patient-choice').and(admin.locator('[data-purpose="reminders"]'))).toHaveAttribute('data-granted', 'false');
  await expect(view.getByTestId('patient-notice-ack')).toHaveAttribute('data-outstanding', 'false');
  await expect(view.getByTestId('patient-trail-row')).toHaveCount(3);
  await sql.end();
});
