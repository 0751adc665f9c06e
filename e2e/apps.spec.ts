import { expect, test } from '@playwright/test';
import { database, origin, pendingCount, row, signIn } from './support.ts';

test('the clinic app walks a location through its lifecycle, and staff only read', async ({ browser }) => {
  const sql = database();
  const { page } = await signIn(browser, 'clinic', 'admin@kinetic.test');
  const floreasca = row(page, 'Kinetic Floreasca');

  await floreasca.getByRole('button', { name: 'Deactivate' }).click();
  await expect(floreasca).toHaveAttribute('data-status', 'inactive');
  await pendingCount(page, 0);
  await floreasca.getByRole('button', { name: 'Reactivate' }).click();
  await expect(floreasca).toHaveAttribute('data-status', 'active');
  await pendingCount(page, 0);

  // Closing is permanent, so it asks first; cancelling changes nothing.
  await floreasca.getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(floreasca).toHaveAttribute('data-status', 'active');
  await floreasca.getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('button', { name: 'Close location' }).click();
  await expect(floreasca).toHaveAttribute('data-status', 'closed');
  await pendingCount(page, 0);
  // A closed location offers nothing more.
  await expect(floreasca.getByRole('button')).toHaveCount(0);
  await expect(floreasca.getByRole('link', { name: 'Edit' })).toHaveCount(0);

  const [stored] = await sql`select status, closed_at from locations where slug = 'floreasca'`;
  expect(stored?.status).toBe('closed');
  expect(stored?.closed_at).not.toBeNull();
  const actions = await sql<{ changes: { status: string } }[]>`
    select a.changes from audit_log a join locations l on l.id::text = a.entity_id
    where l.slug = 'floreasca' and a.action = 'location.status_changed' order by a.id`;
  expect(actions.map((a) => a.changes.status)).toEqual(['inactive', 'active', 'closed']);

  // A taken slug is refused before anything is sent, next to the field.
  await page.getByRole('link', { name: 'New location' }).click();
  await page.getByLabel('Name').fill('Duplicate');
  await page.getByLabel('Slug').fill('cluj');
  await page.getByRole('button', { name: 'Create location' }).click();
  await expect(page.getByLabel('Slug')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('This slug is already in use. Choose another one.', { exact: true })).toBeVisible();
  await pendingCount(page, 0);
  expect((await sql`select count(*)::int as n from locations where name = 'Duplicate'`)[0]?.n).toBe(0);

  const staff = await signIn(browser, 'clinic', 'staff@kinetic.test');
  await expect(staff.page.getByTestId('location-row').first()).toBeVisible();
  await expect(staff.page.getByTestId('location-row').getByRole('button')).toHaveCount(0);
  await expect(staff.page.getByRole('link', { name: 'New location' })).toHaveCount(0);
  await sql.end();
});

test('the console lists and creates organisations, for platform operators only', async ({ browser }) => {
  const sql = database();
  const { page } = await signIn(browser, 'console', 'superadmin@restartix.test');
  await expect(page.getByTestId('organization-row')).toHaveCount(2);
  await page.getByLabel('Name').fill('Clinica Nouă');
  await page.getByLabel('Slug').fill('clinica-noua');
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await expect(page.getByTestId('organization-row')).toHaveCount(3);
  await pendingCount(page, 0);
  const created = await sql<{ action: string }[]>`select a.action from organizations o join audit_log a on a.entity_id = o.id::text where o.slug = 'clinica-noua'`;
  expect(created.map((c) => c.action)).toEqual(['organization.created']);

  const clinicAdmin = await signIn(browser, 'console', 'admin@motion.test');
  await expect(clinicAdmin.page.getByTestId('operators-only')).toBeVisible();
  await expect(clinicAdmin.page.getByTestId('organization-row')).toHaveCount(0);
  await sql.end();
});

test('every app boots offline once visited; the portal signs in to an empty home', async ({ browser }) => {
  for (const [app, email] of [['clinic', 'staff@motion.test'], ['console', 'superadmin@restartix.test']] as const) {
    const { context, page } = await signIn(browser, app, email);
    await expect(page.getByTestId(app === 'clinic' ? 'location-row' : 'organization-row').first()).toBeVisible();
    // Zero writes its synced store to IndexedDB after about a second of quiet (zero-1.9.md §3).
    await page.waitForTimeout(2_000);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId('connection-state')).toBeVisible();
    await expect(page.getByTestId(app === 'clinic' ? 'location-row' : 'organization-row').first()).toBeVisible();
    await context.close();
  }
  const context = await browser.newContext({ locale: 'ro-RO' });
  const page = await context.newPage();
  await page.goto(`${origin()}/portal/`);
  // A Romanian browser gets the Romanian first screen.
  await expect(page.getByRole('heading', { name: 'Autentificare' })).toBeVisible();
  await page.getByTestId('demo-account').first().click();
  await expect(page.getByTestId('portal-empty')).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('portal-empty')).toBeVisible();
});

test('a shared device keeps nothing on disk: no IndexedDB, no stored session, writes still land', async ({ browser }) => {
  const sql = database();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin()}/clinic/`);
  await page.getByLabel(/dispozitiv partajat|shared device/i).check();
  await page.getByTestId('demo-account').and(page.locator('[data-email="admin@motion.test"]')).click();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await page.getByLabel(/Limbă|Language/).selectOption('en');

  await row(page, 'Motion Iași').getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Address').fill('Strada Palat 1, shared device');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await pendingCount(page, 0);
  expect((await sql`select count(*)::int as n from locations where address = 'Strada Palat 1, shared device'`)[0]?.n).toBe(1);

  const onDisk = await page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((info) => info.name ?? ''),
    local: Object.keys(localStorage).filter((key) => key.startsWith('restartix-') && key.endsWith('-session')),
    session: Object.keys(sessionStorage).filter((key) => key.endsWith('-session')),
  }));
  expect(onDisk).toEqual({ databases: [], local: [], session: ['restartix-clinic-session'] });
  await context.close();
  await sql.end();
});
