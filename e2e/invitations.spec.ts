import { expect, test, type Browser, type Page } from '@playwright/test';
import { drawnModules, expectedModules } from '../server/invitations/qr-svg.ts';
import { database, linkFromMailbox, origin, REAL_PASSWORD, row, signIn } from './support.ts';

/**
 * Invitations and share-links through the apps, against the whole stack: an admin invites a new
 * staff member, who signs up from the email and lands in the clinic's synced data; an admin prints
 * a share-link poster, a new patient joins the clinic with it, and a second person is refused
 * because the code allowed one use.
 */

/**
 * A person who opens `link` in a browser of their own while signed out: told why to sign in, they
 * create an account, confirm it from the mailbox, and are taken back to the link.
 */
async function newcomerFollows(browser: Browser, link: string, name: string, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByTestId('pending-link-hint')).toBeVisible();
  await page.getByRole('button', { name: 'Create an account' }).click();
  const form = page.getByTestId('sign-up');
  await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Choose a password').fill(REAL_PASSWORD);
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('check-email')).toHaveAttribute('data-reason', 'verify');
  // The confirmation link lands on the app's home page and signs the person in.
  await page.goto(await linkFromMailbox(email, '/api/auth/verify-email'));
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  return page;
}

async function accessToken(page: Page, app: string): Promise<string> {
  const raw = await page.evaluate((key) => localStorage.getItem(key), `restartix-${app}-session`);
  return (JSON.parse(raw ?? '{}') as { token?: string }).token ?? '';
}

test('an admin invites a new staff member, who signs up from the email and works in the clinic', async ({ browser }) => {
  const sql = database();
  const email = `kineto-${String(Date.now())}@example.test`;
  const { page: admin } = await signIn(browser, 'clinic', 'admin@kinetic.test');
  await admin.getByTestId('clinic-nav').getByRole('link', { name: 'Invitations' }).click();

  // A mistyped address is caught at the field, before anything is sent.
  const form = admin.getByTestId('invite-form');
  await form.getByLabel('Email', { exact: true }).fill('not an address');
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(form.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Enter an email address.')).toBeVisible();

  await form.getByLabel('A staff member').check();
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Name').fill('Ana Kineto');
  await form.getByLabel('Role').selectOption({ label: 'Specialist' });
  await form.getByLabel('Language of the email').selectOption('en');
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(admin.getByTestId('invitations-outcome')).toHaveText(`Invitation sent to ${email}.`);
  const invitation = admin.getByTestId('invitation-row').and(admin.locator(`[data-email="${email}"]`));
  await expect(invitation).toHaveAttribute('data-status', 'pending');
  await expect(invitation).toContainText('Specialist');

  // Inviting the same address again is refused at the field: the open invitation is resent instead.
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(form.getByText('This address already has a pending invitation. You can send it again instead.')).toBeVisible();

  const link = await linkFromMailbox(email, '/clinic/invitations/accept?token=');

  // Someone else signed in who opens the link is told to use the invited address, never which one.
  const { page: colleague } = await signIn(browser, 'clinic', 'staff@kinetic.test');
  await colleague.goto(link);
  const refused = colleague.getByTestId('invitation-problem');
  await expect(refused).toHaveAttribute('data-reason', 'INVITATION_WRONG_ACCOUNT');
  await expect(refused).toContainText('Sign out, then sign in or create an account with the address that received the invitation');
  await expect(colleague.getByTestId('invitation-accept')).not.toContainText(email);
  await expect(colleague.getByRole('button', { name: 'Accept invitation' })).toHaveCount(0);

  // The invited person, new to RestartiX, signs up from the link and comes back to it.
  const page = await newcomerFollows(browser, link, 'Ana Kineto', email);
  await expect(page.getByTestId('invitation-clinic')).toHaveText('Kinetic Recuperare');
  await expect(page.getByText('Kinetic Recuperare invites you to join its team as Specialist.')).toBeVisible();
  await page.getByRole('button', { name: 'Accept invitation' }).click();

  // The app moves to the clinic: its locations sync, and nothing of another clinic.
  await expect(page.getByTestId('organization-name')).toHaveText(/Kinetic Recuperare/);
  await expect(row(page, 'Kinetic Centru')).toBeVisible();
  await expect(page.getByTestId('location-row').filter({ hasText: 'Motion' })).toHaveCount(0);
  // A specialist reads locations and does not manage members.
  await expect(page.getByRole('link', { name: 'New location' })).toHaveCount(0);
  await expect(page.getByTestId('clinic-nav').getByRole('link', { name: 'Invitations' })).toHaveCount(0);

  const memberships = await sql<{ role: string; organization: string }[]>`
    select m.role, o.slug as organization from memberships m
    join humans h on h.principal_id = m.principal_id join organizations o on o.id = m.organization_id
    where h.email = ${email}`;
  expect(memberships).toEqual([{ role: 'specialist', organization: 'kinetic' }]);

  // The admin sees it accepted; the link has done its work.
  await admin.reload();
  await expect(invitation).toHaveAttribute('data-status', 'accepted');
  await expect(invitation.getByRole('button')).toHaveCount(0);
  await page.goto(link);
  await expect(page.getByTestId('invitation-problem')).toHaveAttribute('data-reason', 'INVITATION_USED');
  await sql.end();
});

test('an admin prints a share-link poster; a new patient joins with it, and a second is refused once it is used up', async ({ browser }) => {
  const sql = database();
  const { page: admin } = await signIn(browser, 'clinic', 'admin@motion.test');
  await admin.getByTestId('clinic-nav').getByRole('link', { name: 'Share links' }).click();
  const form = admin.getByTestId('share-link-form');
  await form.getByLabel('Label').fill('Afiș recepție Iași');
  await form.getByLabel('Maximum uses').fill('1');
  await form.getByRole('button', { name: 'Create share link' }).click();

  // The new link's poster opens: the clinic's name, the QR code, the code in letters.
  const poster = admin.getByTestId('share-poster');
  await expect(poster.getByRole('heading', { name: 'Motion Physio' })).toBeVisible();
  const code = (await poster.getByTestId('share-code').textContent()) ?? '';
  expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
  const joinUrl = (await poster.getByTestId('join-url').getAttribute('href')) ?? '';
  expect(joinUrl).toBe(`${origin()}/portal/join?code=${code.replace('-', '')}`);
  const qr = poster.getByTestId('share-qr');
  await expect(qr).toHaveAttribute('alt', `QR code for joining with the code ${code}`);
  await expect.poll(() => qr.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)).toBe(true);
  const linkRow = admin.getByTestId('share-link-row').and(admin.locator(`[data-code="${code}"]`));
  await expect(linkRow).toHaveAttribute('data-status', 'active');
  await expect(linkRow).toContainText('0 of 1');

  // What a phone's camera reads from that QR code is exactly the poster's link.
  const [created] = await sql<{ id: string }[]>`select id from share_links where code = ${code.replace('-', '')}`;
  const svg = await (await fetch(`${origin()}/api/v1/share-links/${created?.id ?? ''}/qr.svg`, { headers: { authorization: `Bearer ${await accessToken(admin, 'clinic')}` } })).text();
  expect(drawnModules(svg)).toEqual(expectedModules(joinUrl));

  // Printing prints the poster alone, without the app around it or its buttons.
  await admin.emulateMedia({ media: 'print' });
  await expect(poster).toBeVisible();
  await expect(poster.getByTestId('share-code')).toBeVisible();
  await expect(admin.getByRole('banner')).toBeHidden();
  await expect(admin.getByTestId('clinic-nav')).toBeHidden();
  await expect(form).toBeHidden();
  await expect(linkRow).toBeHidden();
  await expect(poster.getByRole('button', { name: 'Print poster' })).toBeHidden();
  await admin.emulateMedia({ media: 'screen' });
  await expect(form).toBeVisible();

  // A new patient scans it: signs up, comes back to the code, and joins.
  const firstEmail = `pacient-afis-${String(Date.now())}@example.test`;
  const patient = await newcomerFollows(browser, joinUrl, 'Pacient Afiș', firstEmail);
  await expect(patient.getByTestId('join-clinic')).toHaveText('Motion Physio');
  await patient.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(patient.getByTestId('join-done')).toHaveText('You have joined Motion Physio.');
  await patient.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(patient.getByTestId('my-clinic')).toHaveCount(1);
  await expect(patient.getByTestId('my-clinic')).toContainText('Motion Physio');
  const joins = await sql<{ email: string }[]>`
    select h.email from share_link_joins j join humans h on h.principal_id = j.principal_id where j.share_link_id = ${created?.id ?? ''}`;
  expect(joins).toEqual([{ email: firstEmail }]);

  // The code allowed one person: the next one is told so, and nothing is counted.
  const second = await newcomerFollows(browser, joinUrl, 'Al Doilea', `al-doilea-${String(Date.now())}@example.test`);
  const problem = second.getByTestId('join-problem');
  await expect(problem).toHaveAttribute('data-reason', 'SHARE_LINK_EXHAUSTED');
  await expect(problem).toHaveText('This code has been used as many times as it allows. Ask the clinic for a new one.');
  await expect(second.getByRole('button', { name: 'Join', exact: true })).toHaveCount(0);
  await second.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(second.getByText('You have not joined a clinic yet.', { exact: false })).toBeVisible();
  const [link] = await sql<{ uses: number }[]>`select uses from share_links where id = ${created?.id ?? ''}`;
  expect(link?.uses).toBe(1);

  // The admin sees it used up, and can still revoke it (after confirming).
  await admin.reload();
  await expect(linkRow).toHaveAttribute('data-status', 'exhausted');
  await expect(linkRow).toContainText('1 of 1');
  await linkRow.getByRole('button', { name: 'Revoke' }).click();
  await admin.getByRole('button', { name: 'Revoke share link' }).click();
  await expect(linkRow).toHaveAttribute('data-status', 'revoked');
  await sql.end();
});
