import { expect, test } from '@playwright/test';
import { database, dumpIndexedDb, origin, pendingCount, row, signIn } from './support.ts';

/**
 * The loop, offline: a clinic admin's two writes survive an offline reload and Zero's disconnect
 * timeout, land exactly once with their audit rows, reach a colleague's open browser without a
 * reload, and never reach the other clinic.
 */
test('writes made offline survive a reload and land exactly once', async ({ browser }) => {
  const sql = database();
  const admin = await signIn(browser, 'clinic', 'admin@kinetic.test');
  const colleague = await signIn(browser, 'clinic', 'owner@kinetic.test');
  const otherClinic = await signIn(browser, 'clinic', 'admin@motion.test');
  const { page } = admin;
  // Security: the browser reaches zero-cache only through the API's origin.
  const sockets: string[] = [];
  page.on('websocket', (socket) => { sockets.push(socket.url()); });
  await expect(page.getByTestId('location-row')).toHaveCount(3);
  await expect(colleague.page.getByTestId('location-row')).toHaveCount(3);

  await admin.context.setOffline(true);

  // 1. Create a location.
  await page.getByRole('link', { name: 'New location' }).click();
  await page.getByLabel('Name').fill('Kinetic Pipera');
  await expect(page.getByLabel('Slug')).toHaveValue('kinetic-pipera');
  await page.getByLabel('City').fill('Voluntari');
  await page.getByLabel('Country').fill('România');
  await page.getByRole('button', { name: 'Create location' }).click();
  await pendingCount(page, 1);

  // 2. Rename another, then reload at once, still offline.
  await row(page, 'Kinetic Cluj').getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Name').fill('Kinetic Cluj-Napoca');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await pendingCount(page, 2);
  await page.reload();
  const reloadedAt = Date.now();

  // The app boots from the service worker and still shows both writes as pending.
  await pendingCount(page, 2);
  await expect(row(page, 'Kinetic Pipera')).toHaveAttribute('data-pending', 'true');
  await expect(row(page, 'Kinetic Cluj-Napoca')).toHaveAttribute('data-pending', 'true');
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);

  // 3. Past Zero's disconnect timeout as built (VITE_ZERO_DISCONNECT_TIMEOUT_MS, 20 s by default),
  // counted from the reload, which starts a fresh Zero: offline, and nothing is lost.
  const disconnectTimeoutMs = Number(process.env.VITE_ZERO_DISCONNECT_TIMEOUT_MS ?? 20_000);
  await page.waitForTimeout(Math.max(0, reloadedAt + disconnectTimeoutMs + 3_000 - Date.now()));
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'disconnected');
  await pendingCount(page, 2);
  await expect(row(page, 'Kinetic Pipera')).toBeVisible();
  const [before] = await sql`select count(*)::int as n from locations where name = 'Kinetic Pipera'`;
  expect(before?.n).toBe(0);

  // 4. Back online: both land, exactly once, each with its audit row.
  await admin.context.setOffline(false);
  await pendingCount(page, 0, 60_000);
  await expect(row(page, 'Kinetic Pipera')).toHaveAttribute('data-pending', 'false');

  const created = await sql<{ id: string; organization_slug: string; status: string }[]>`
    select l.id, o.slug as organization_slug, l.status from locations l join organizations o on o.id = l.organization_id
    where l.name = 'Kinetic Pipera'`;
  expect(created).toHaveLength(1);
  expect(created[0]).toMatchObject({ organization_slug: 'kinetic', status: 'active' });
  const renamed = await sql`select id from locations where name = 'Kinetic Cluj-Napoca'`;
  expect(renamed).toHaveLength(1);
  const audit = await sql<{ action: string; entity_id: string; n: number }[]>`
    select action, entity_id, count(*)::int as n from audit_log
    where entity_id in (${created[0]?.id ?? ''}, ${String(renamed[0]?.id)}) group by action, entity_id order by action`;
  expect(audit.map(({ action, n }) => [action, n])).toEqual([['location.created', 1], ['location.updated', 1]]);
  const receipts = await sql`select count(*)::int as n from write_receipts w join audit_log a on a.write_id = w.write_id
    where a.entity_id in (${created[0]?.id ?? ''}, ${String(renamed[0]?.id)})`;
  expect(receipts[0]?.n).toBe(2);

  expect(sockets.length).toBeGreaterThan(0);
  for (const url of sockets) expect(url.startsWith(`${origin().replace(/^http/, 'ws')}/zero/sync/`), url).toBe(true);

  // 5. The colleague's open browser shows both without a reload.
  await expect(row(colleague.page, 'Kinetic Pipera')).toBeVisible();
  await expect(row(colleague.page, 'Kinetic Cluj-Napoca')).toBeVisible();

  // 6. The other clinic never receives them: not in its UI, not in its IndexedDB.
  await expect(otherClinic.page.getByTestId('location-row')).toHaveCount(3);
  await expect(otherClinic.page.getByText('Kinetic Pipera')).toHaveCount(0);
  const stored = await dumpIndexedDb(otherClinic.page);
  expect(stored).toContain('Motion Iași'); // the dump does read the synced slice
  for (const leaked of ['Kinetic Pipera', 'Kinetic Cluj-Napoca', 'Kinetic Centru', created[0]?.id ?? 'x']) {
    expect(stored).not.toContain(leaked);
  }

  await sql.end();
});

test('a write refused by the server rolls back and says why', async ({ browser }) => {
  const sql = database();
  const admin = await signIn(browser, 'clinic', 'admin@kinetic.test');
  const owner = await signIn(browser, 'clinic', 'owner@kinetic.test');

  // The admin renames a location while offline; meanwhile the owner closes it for good.
  await admin.context.setOffline(true);
  await row(admin.page, 'Kinetic Centru').getByRole('link', { name: 'Edit' }).click();
  await admin.page.getByLabel('Name').fill('Kinetic Centru Vechi');
  await admin.page.getByRole('button', { name: 'Save changes' }).click();
  await pendingCount(admin.page, 1);

  await row(owner.page, 'Kinetic Centru').getByRole('button', { name: 'Close', exact: true }).click();
  await owner.page.getByRole('button', { name: 'Close location' }).click();
  await expect(row(owner.page, 'Kinetic Centru')).toHaveAttribute('data-status', 'closed');
  await pendingCount(owner.page, 0, 30_000);

  // Back online, the server refuses the rename: the admin is told why and sees the truth.
  await admin.context.setOffline(false);
  await expect(admin.page.locator('[data-testid="notice"] .notice[data-code="LOCATION_CLOSED"]')).toBeVisible({ timeout: 60_000 });
  await pendingCount(admin.page, 0);
  await expect(row(admin.page, 'Kinetic Centru')).toHaveAttribute('data-status', 'closed');
  await expect(admin.page.getByText('Kinetic Centru Vechi')).toHaveCount(0);

  const [centre] = await sql`select name, status, closed_at from locations where slug = 'centru'`;
  expect(centre).toMatchObject({ name: 'Kinetic Centru', status: 'closed' });
  expect(centre?.closed_at).not.toBeNull();
  await sql.end();
});
