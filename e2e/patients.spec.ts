import { expect, test, type Browser, type Page } from '@playwright/test';
import { createPatient } from '../seeds/factories.ts';
import { database, origin, pendingCount, signIn } from './support.ts';

/** A name no other spec or run uses, so the shared database can be searched and tidied by it. */
const unique = () => `E2e${Math.random().toString(36).slice(2, 8)}`;

function patientRow(page: Page, name: string) {
  return page.getByTestId('patient-row').filter({ has: page.getByRole('link', { name }) });
}

async function findPatient(page: Page, text: string): Promise<void> {
  await page.getByTestId('clinic-nav').getByRole('link', { name: 'Patients' }).click();
  await page.getByLabel('Find by name').fill(text);
}

test('an owner registers a patient (offline), finds, edits and deletes them, and restores them from the trash', async ({ browser }) => {
  const sql = database();
  const family = unique();
  const { context, page } = await signIn(browser, 'clinic', 'owner@kinetic.test');
  try {
    await page.getByTestId('clinic-nav').getByRole('link', { name: 'Patients' }).click();
    // The demo seed's patients are there, and found without their diacritics.
    await page.getByLabel('Find by name').fill('stefan');
    await expect(page.getByTestId('patient-row')).toHaveCount(1);
    await expect(page.getByTestId('patient-row')).toContainText('Ștefan Constantinescu');
    await page.getByLabel('Find by name').fill('');

    // Registered on flaky Wi-Fi: the write waits on the device and the list shows it at once.
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Register patient' }).click();
    await page.getByLabel('Given name').fill('Irina');
    await page.getByLabel('Family name').fill(family);
    await page.getByLabel('Date of birth').fill('1979-08-23');
    await page.getByLabel('Sex').selectOption({ label: 'Female' });
    await page.getByLabel('Email').fill(`irina.${family.toLowerCase()}@example.test`);
    await page.getByLabel('Phone').fill('07x1 phone');
    await page.getByLabel('Language for messages').selectOption({ label: 'English' });
    await page.getByLabel('External reference').fill(`REF-${family}`);
    await page.getByRole('button', { name: 'Register patient' }).click();
    // The wrong phone number is named next to its field, which takes the focus so it is read out.
    const phone = page.getByLabel('Phone');
    await expect(phone).toHaveAttribute('aria-invalid', 'true');
    await expect(phone).toBeFocused();
    await expect(page.getByText('Enter a phone number: 6 to 32 digits')).toBeVisible();
    await phone.fill('+40 721 555 010');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Irina ${family}` })).toBeVisible();
    await pendingCount(page, 1);
    await findPatient(page, family);
    await expect(patientRow(page, `Irina ${family}`)).toHaveAttribute('data-pending', 'true');
    await expect(patientRow(page, `Irina ${family}`)).toContainText('Not confirmed yet');

    await context.setOffline(false);
    await pendingCount(page, 0, 60_000);
    await expect(patientRow(page, `Irina ${family}`)).toHaveAttribute('data-pending', 'false');
    const [stored] = await sql<{ id: string; birth_date: string; sex: string; locale: string; managed_by_organization_id: string; slug: string }[]>`
      select p.id, to_char(pp.birth_date, 'YYYY-MM-DD') as birth_date, pp.sex, pp.locale, pp.managed_by_organization_id, o.slug
      from patients p join patient_profiles pp on pp.id = p.patient_profile_id join organizations o on o.id = p.organization_id
      where pp.family_name = ${family}`;
    expect(stored).toMatchObject({ birth_date: '1979-08-23', sex: 'female', locale: 'en', slug: 'kinetic' });

    // Edit: the clinic still holds this person's details, so it may change them.
    await patientRow(page, `Irina ${family}`).getByRole('link').click();
    await expect(page.getByTestId('patient-ownership')).toHaveText('The clinic keeps these details until the person claims them with an account.');
    await page.getByRole('button', { name: 'Edit' }).click();
    await expect(page.getByLabel('Given name')).toBeFocused();
    await expect(page.getByLabel('Date of birth')).toHaveValue('1979-08-23');
    await page.getByLabel('Given name').fill('Irina-Maria');
    await page.getByLabel('Phone').fill('+40 721 555 011');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Irina-Maria ${family}` })).toBeVisible();
    await expect(page.getByTestId('patient-details')).toContainText('+40 721 555 011');
    await expect(page.getByTestId('patient-details')).toContainText('23 August 1979');
    await page.getByRole('button', { name: 'Mark inactive' }).click();
    await expect(page.getByTestId('patient-status')).toHaveText('Inactive');
    await pendingCount(page, 0);
    await expect
      .poll(async () => (await sql<{ given_name: string; phone: string; status: string }[]>`
        select pp.given_name, pp.phone, p.status from patients p join patient_profiles pp on pp.id = p.patient_profile_id where p.id = ${stored?.id ?? ''}`)[0])
      .toEqual({ given_name: 'Irina-Maria', phone: '+40 721 555 011', status: 'inactive' });

    // Invited to the Portal with the address the clinic holds: accepting will link this very record.
    const invite = page.getByTestId('invite-patient');
    await expect(invite.getByLabel('Their email address')).toHaveValue(`irina.${family.toLowerCase()}@example.test`);
    await invite.getByRole('button', { name: 'Send the invitation' }).click();
    await expect(invite.getByRole('status')).toHaveText(`Invitation sent to irina.${family.toLowerCase()}@example.test.`);
    expect(await sql`select 1 from invitations where patient_id = ${stored?.id ?? ''} and kind = 'patient'`).toHaveLength(1);

    // Delete asks first, and the record leaves the list at once.
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(`Delete the record of Irina-Maria ${family}?`);
    await dialog.getByRole('button', { name: 'Delete record' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Patients' })).toBeVisible();
    await page.getByLabel('Find by name').fill(family);
    await expect(page.getByTestId('patients-empty')).toBeVisible();
    await expect(page.getByTestId('patient-row')).toHaveCount(0);
    await pendingCount(page, 0);
    expect((await sql`select 1 from patients where id = ${stored?.id ?? ''} and deleted_at is not null`).length).toBe(1);

    // The trash brings it back, on this device through sync.
    await page.getByRole('link', { name: 'Deleted patients' }).click();
    const deleted = page.getByTestId('deleted-patient-row').filter({ hasText: family });
    await expect(deleted).toContainText('Ioana Popescu');
    await deleted.getByRole('button', { name: `Restore Irina-Maria ${family}` }).click();
    await expect(page.getByTestId('trash-status')).toHaveText(`Irina-Maria ${family} is back in the list of patients. Open`);
    await expect(page.getByTestId('deleted-patient-row').filter({ hasText: family })).toHaveCount(0);
    await findPatient(page, family);
    await expect(patientRow(page, `Irina-Maria ${family}`)).toHaveAttribute('data-status', 'inactive');
  } finally {
    await tidy(sql, family);
    await context.close();
    await sql.end();
  }
});

test('a member without patients.delete reads and edits patients but is offered no delete and no trash', async ({ browser }) => {
  const sql = database();
  const { page } = await signIn(browser, 'clinic', 'staff@kinetic.test');
  try {
    // Plain staff hold no patients.read: no section, and the address alone shows nothing.
    await expect(page.getByTestId('clinic-nav').getByRole('link', { name: 'Locations' })).toBeVisible();
    await expect(page.getByTestId('clinic-nav').getByRole('link', { name: 'Patients' })).toHaveCount(0);
    await page.goto(`${origin()}/clinic/patients`);
    await expect(page.getByText('Seeing patients needs the permission to read them.')).toBeVisible();
    await expect(page.getByTestId('patient-row')).toHaveCount(0);

    // As a receptionist (patients.read and .manage, not .delete), the open app follows.
    await sql`update memberships m set role = 'receptionist' from humans h, organizations o
      where h.principal_id = m.principal_id and o.id = m.organization_id and h.email = 'staff@kinetic.test' and o.slug = 'kinetic'`;
    await expect(page.getByTestId('clinic-nav').getByRole('link', { name: 'Patients' })).toBeVisible({ timeout: 30_000 });
    await findPatient(page, 'Vasilescu');
    await expect(page.getByRole('link', { name: 'Register patient' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Deleted patients' })).toHaveCount(0);
    await patientRow(page, 'Andreea Vasilescu').getByRole('link').click();
    await expect(page.getByRole('button', { name: 'Edit' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
    await page.goto(`${origin()}/clinic/patients/deleted`);
    await expect(page.getByText('Seeing and restoring deleted patients needs the permission to delete them.')).toBeVisible();
    await expect(page.getByTestId('deleted-patient-row')).toHaveCount(0);
  } finally {
    await sql`update memberships m set role = 'staff' from humans h, organizations o
      where h.principal_id = m.principal_id and o.id = m.organization_id and h.email = 'staff@kinetic.test' and o.slug = 'kinetic'`;
    await page.context().close();
    await sql.end();
  }
});

test("a patient sees the clinics that keep their record and edits their own profile, which the clinic cannot", async ({ browser }) => {
  const sql = database();
  const family = unique();
  // A demo account that is also a patient: Motion's admin, treated at Kinetic (joined, onboarding not finished).
  const [person] = await sql<{ principal_id: string }[]>`select principal_id from humans where email = 'admin@motion.test'`;
  const [kinetic] = await sql<{ id: string }[]>`select id from organizations where slug = 'kinetic'`;
  if (person === undefined || kinetic === undefined) throw new Error('the demo seed changed');
  const { patientId } = await createPatient(sql, kinetic.id, { principalId: person.principal_id, givenName: 'Maria', familyName: family, createdBy: person.principal_id, shared: false });
  // The Portal first asks for the platform terms (the consents screens' work): acknowledged already.
  await sql`insert into consent_ledger (principal_id, purpose, action, legal_basis, document_version, recorded_by, source)
    select ${person.principal_id}, 'platform_terms', 'grant', 'contract', max(version), ${person.principal_id}, 'portal'
    from platform_terms_versions having max(version) is not null`;
  const page = await signInToPortal(browser, 'admin@motion.test');
  try {
    const record = page.getByTestId('my-patient-record');
    await expect(record).toHaveCount(1);
    await expect(record).toContainText('Kinetic Recuperare');
    await expect(record).toContainText('Active');
    await expect(record.getByRole('link', { name: 'Finish joining' })).toHaveAttribute('href', `/portal/onboarding/${kinetic.id}`);

    await page.getByRole('link', { name: 'Your profile' }).click();
    await expect(page.getByLabel('Family name')).toHaveValue(family);
    // On a phone the page fits the screen, header included: nothing to scroll sideways.
    await page.setViewportSize({ width: 360, height: 740 });
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll('header *, main *')].filter((element) => element.getBoundingClientRect().right > window.innerWidth).map((element) => element.tagName));
    expect(overflowing).toEqual([]);
    await page.getByLabel('Date of birth').fill('2999-01-01');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByLabel('Date of birth')).toBeFocused();
    await expect(page.getByText('Enter a date between 1 January 1900 and today.')).toBeVisible();
    await page.getByLabel('Date of birth').fill('1990-06-15');
    await page.getByLabel('Phone').fill('+40 722 000 999');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('profile-status')).toHaveText('Your profile is saved.');
    await pendingCount(page, 0);
    await expect
      .poll(async () => (await sql<{ birth_date: string; phone: string }[]>`
        select to_char(birth_date, 'YYYY-MM-DD') as birth_date, phone from patient_profiles where principal_id = ${person.principal_id}`)[0])
      .toEqual({ birth_date: '1990-06-15', phone: '+40 722 000 999' });

    // The clinic does not see the profile before onboarding shares it, and never edits it.
    const owner = await signIn(browser, 'clinic', 'owner@kinetic.test');
    await owner.page.goto(`${origin()}/clinic/patients/${patientId}`);
    await expect(owner.page.getByRole('heading', { level: 1, name: 'Not shared yet' })).toBeVisible();
    await expect(owner.page.getByTestId('patient-details')).toContainText('has not finished joining yet');
    await expect(owner.page.getByText(family)).toHaveCount(0);
    // What finishing onboarding does (the onboarding page is another screen's work).
    await sql.begin(async (tx) => {
      await tx`select set_config('app.patient_sharing', 'on', true)`;
      await tx`update patients set profile_shared_at = now() where id = ${patientId}`;
    });
    await expect(owner.page.getByRole('heading', { level: 1, name: `Maria ${family}` })).toBeVisible();
    await expect(owner.page.getByTestId('patient-ownership')).toHaveText("These details are the patient's own: they keep them in their account, and only they can change them.");
    await owner.page.getByRole('button', { name: 'Edit' }).click();
    await expect(owner.page.getByLabel('Given name')).toHaveCount(0);
    await expect(owner.page.getByLabel('External reference')).toBeVisible();
    await owner.context.close();
  } finally {
    await tidy(sql, family);
    await page.context().close();
    await sql.end();
  }
});

/** Signs in to the Portal through the development login, as support.ts's signIn does for the other apps. */
async function signInToPortal(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${origin()}/portal/`);
  await page.getByTestId('demo-account').and(page.locator(`[data-email="${email}"]`)).click();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await page.getByLabel(/Limbă|Language/).selectOption('en');
  return page;
}

/** Removes what a test registered, records and the profiles nobody else holds. */
async function tidy(sql: ReturnType<typeof database>, family: string): Promise<void> {
  const profiles = await sql<{ id: string }[]>`select id from patient_profiles where family_name = ${family}`;
  for (const { id } of profiles) {
    await sql`delete from patients where patient_profile_id = ${id}`;
    await sql`delete from patient_profiles where id = ${id}`;
  }
}
