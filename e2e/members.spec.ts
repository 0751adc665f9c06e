import { expect, test } from '@playwright/test';
import { addMembership, createHuman } from '../seeds/factories.ts';
import { database, pendingCount, signIn } from './support.ts';

test('an owner defines a custom role and gives it to a member, whose open app follows; then removes a member', async ({ browser }) => {
  const sql = database();
  const [kinetic] = await sql<{ id: string }[]>`select id from organizations where slug = 'kinetic'`;
  if (kinetic === undefined) throw new Error('the demo seed has no kinetic clinic');
  const locum = await createHuman(sql, { email: 'temp.locum@kinetic.test', name: 'Temp Locum' });
  await addMembership(sql, kinetic.id, locum, 'staff');

  // A staff member reads locations only.
  const staff = await signIn(browser, 'clinic', 'staff@kinetic.test');
  await expect(staff.page.getByTestId('location-row').first()).toBeVisible();
  await expect(staff.page.getByRole('link', { name: 'New location' })).toHaveCount(0);

  const { page } = await signIn(browser, 'clinic', 'owner@kinetic.test');
  const nav = page.getByTestId('clinic-nav');

  // A role may grant only what the owner holds, and is named once per clinic.
  await nav.getByRole('link', { name: 'Custom roles' }).click();
  await page.getByRole('button', { name: 'New role' }).click();
  await page.getByLabel('Name').fill('Front desk lead');
  await page.getByLabel('Create and change locations').check();
  await page.getByRole('button', { name: 'Create role' }).click();
  const roleRow = page.getByTestId('role-row').filter({ hasText: 'Front desk lead' });
  await expect(roleRow).toContainText('Create and change locations');
  await pendingCount(page, 0);
  await page.getByRole('button', { name: 'New role' }).click();
  await page.getByLabel('Name').fill('front desk LEAD');
  await page.getByRole('button', { name: 'Create role' }).click();
  await expect(page.getByText('A role with this name already exists in the clinic.')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // Give it to the staff member.
  await nav.getByRole('link', { name: 'Members' }).click();
  const staffRow = page.getByTestId('member-row').and(page.locator('[data-email="staff@kinetic.test"]'));
  await staffRow.getByRole('combobox').selectOption({ label: 'Front desk lead' });
  await pendingCount(page, 0);
  await expect
    .poll(async () => (await sql<{ role: string; name: string | null }[]>`
      select m.role, r.name from memberships m join humans h on h.principal_id = m.principal_id
      left join organization_roles r on r.id = m.custom_role_id
      where h.email = 'staff@kinetic.test' and m.organization_id = ${kinetic.id}`)[0])
    .toEqual({ role: 'custom', name: 'Front desk lead' });
  // The owner cannot change or remove themself.
  await expect(page.getByTestId('member-row').and(page.locator('[data-email="owner@kinetic.test"]')).getByRole('combobox')).toHaveCount(0);

  // The staff member's open app follows without signing in again: now they may create locations.
  await expect(staff.page.getByRole('link', { name: 'New location' })).toBeVisible({ timeout: 30_000 });

  // Removing someone asks first, and is recorded.
  const locumRow = page.getByTestId('member-row').and(page.locator('[data-email="temp.locum@kinetic.test"]'));
  await locumRow.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(locumRow).toHaveCount(0);
  await pendingCount(page, 0);
  expect(await sql`select 1 from memberships where principal_id = ${locum}`).toHaveLength(0);
  expect((await sql`select count(*)::int as n from audit_log where action = 'membership.removed'`)[0]?.n).toBeGreaterThan(0);

  // Back to how the demo clinic was, for the specs after this one.
  await staffRow.getByRole('combobox').selectOption({ label: 'Staff' });
  await pendingCount(page, 0);
  await expect.poll(async () => (await sql<{ role: string }[]>`select m.role from memberships m join humans h using (principal_id) where h.email = 'staff@kinetic.test'`)[0]?.role).toBe('staff');
  await sql.end();
});
