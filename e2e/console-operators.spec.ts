import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { createHuman } from '../seeds/factories.ts';
import { database, origin, signIn } from './support.ts';

/**
 * The Console's operators page: the demo superadmin grants a platform role to an existing account,
 * changes it and revokes it, each landing in the database with its audit row. A clinic admin is
 * shown neither the page nor its navigation.
 */

test('a superadmin grants, changes and revokes a platform role in the console', async ({ browser }) => {
  const sql = database();
  // A person of their own, so that no other spec's demo account gains a platform role.
  const email = `operator-${randomUUID().slice(0, 8)}@restartix.test`;
  const principalId = await createHuman(sql, { email, name: 'Dana Operator' });

  const { page } = await signIn(browser, 'console', 'superadmin@restartix.test');
  await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Operators' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Operators' })).toBeVisible();
  const self = page.getByTestId('operator-row').and(page.locator('[data-email="superadmin@restartix.test"]'));
  await expect(self).toHaveAttribute('data-role', 'superadmin');
  // Nobody acts on their own role.
  await expect(self.getByRole('button')).toHaveCount(0);

  // An address without an account is explained, and nothing is granted.
  await page.getByLabel('Email').fill('nobody-here@restartix.test');
  await page.getByRole('button', { name: 'Grant role' }).click();
  await expect(page.getByText('No account uses this email address. Ask the person to sign up first, then try again.')).toBeVisible();

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role').selectOption('support_engineer');
  await page.getByRole('button', { name: 'Grant role' }).click();
  await expect(page.getByTestId('operator-granted')).toHaveText('Dana Operator is now an operator. At their next sign-in they must set up a second factor.');
  const granted = page.getByTestId('operator-row').and(page.locator(`[data-email="${email}"]`));
  await expect(granted).toHaveAttribute('data-role', 'support_engineer');
  await expect(granted).toContainText('Not yet: required at their next sign-in');
  const [stored] = await sql<{ platform_role: string | null }[]>`select platform_role from humans where principal_id = ${principalId}`;
  expect(stored?.platform_role).toBe('support_engineer');

  await granted.getByRole('button', { name: 'Make superadmin' }).click();
  await expect(granted).toHaveAttribute('data-role', 'superadmin');

  // Revoking asks first; cancelling keeps the operator.
  await granted.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(granted).toHaveAttribute('data-role', 'superadmin');
  await granted.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove operator' }).click();
  await expect(granted).toHaveCount(0);

  const [after] = await sql<{ platform_role: string | null }[]>`select platform_role from humans where principal_id = ${principalId}`;
  expect(after?.platform_role).toBeNull();
  const audits = await sql<{ action: string; actor: string }[]>`
    select a.action, h.email as actor from audit_log a join humans h on h.principal_id = a.actor_principal_id
    where a.entity_id = ${principalId} order by a.id`;
  expect(audits).toEqual([
    { action: 'platform_role.granted', actor: 'superadmin@restartix.test' },
    { action: 'platform_role.changed', actor: 'superadmin@restartix.test' },
    { action: 'platform_role.revoked', actor: 'superadmin@restartix.test' },
  ]);

  const clinicAdmin = await signIn(browser, 'console', 'admin@motion.test');
  await clinicAdmin.page.goto(`${origin()}/console/operators`);
  await expect(clinicAdmin.page.getByTestId('operators-only')).toBeVisible();
  await expect(clinicAdmin.page.getByRole('navigation', { name: 'Console sections' })).toHaveCount(0);
  await expect(clinicAdmin.page.getByTestId('operator-row')).toHaveCount(0);
  await sql.end();
});
