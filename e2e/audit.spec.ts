import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { database, pendingCount, row, signIn } from './support.ts';

test('a clinic owner finds the change they just made in the audit log, by filtering for it', async ({ browser }) => {
  const sql = database();
  const address = `Str. Audit ${randomBytes(3).toString('hex')}`;
  const { page, context } = await signIn(browser, 'clinic', 'owner@kinetic.test');

  // Centru: the other specs count the audit rows of the locations they change, not of this one.
  await row(page, 'Kinetic Centru').getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Address').fill(address);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await pendingCount(page, 0);

  await page.getByTestId('clinic-nav').getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();

  // Today, as the browser counts days.
  const today = await page.evaluate(() => {
    const now = new Date();
    return `${String(now.getFullYear())}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  });
  const filters = page.getByTestId('audit-filters');
  await filters.getByLabel('Who').selectOption({ label: 'Ioana Popescu' });
  await filters.getByLabel('Action').selectOption({ label: 'Location changed' });
  await filters.getByLabel('From').fill(today);
  await filters.getByLabel('To').fill(today);
  await filters.getByRole('button', { name: 'Apply filters' }).click();

  const mine = rows.filter({ hasText: address });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText('Location changed');
  await expect(mine).toContainText('Ioana Popescu');
  await expect(mine).toContainText('Done');
  // Only what the filters admit is listed.
  for (const action of await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-action')))) {
    expect(action).toBe('location.updated');
  }

  // The entry is the one in the database, chained in the clinic's log.
  const [entry] = await sql<{ entity_id: string; chain_seq: string; entry_hash: Buffer }[]>`
    select a.entity_id, a.chain_seq::text, a.entry_hash from audit_log a join locations l on l.id::text = a.entity_id
    where l.slug = 'centru' and a.diff -> 'after' ->> 'address' = ${address}`;
  expect(entry?.entry_hash).toHaveLength(32);
  await expect(mine).toHaveAttribute('data-entity-id', entry?.entity_id ?? '');

  // A range with nothing in it says so.
  await filters.getByLabel('From').fill('2000-01-01');
  await filters.getByLabel('To').fill('2000-01-02');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByTestId('audit-empty')).toBeVisible();
  await expect(rows).toHaveCount(0);

  await context.close();
  await sql.end();
});

test('the audit log is not offered to staff, not even by its address', async ({ browser }) => {
  const { page, context } = await signIn(browser, 'clinic', 'staff@kinetic.test');
  await expect(page.getByTestId('clinic-nav')).toBeVisible();
  await expect(page.getByTestId('clinic-nav').getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await page.goto(`${page.url().replace(/\/clinic\/.*$/, '/clinic/audit')}`);
  // A reload may come back in the default language.
  await expect(page.getByText(/Reading the audit log needs the permission|Pentru a citi jurnalul de audit/)).toBeVisible();
  await expect(page.getByTestId('audit-row')).toHaveCount(0);
  await context.close();
});
