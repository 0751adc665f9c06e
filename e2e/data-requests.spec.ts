import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { createPatient } from '../seeds/factories.ts';
import { confirmedAccount, database, origin, REAL_PASSWORD, signIn } from './support.ts';

/**
 * Data-subject requests (issue 5, item 6; ADR 0022): a patient asks for a copy of their data in the
 * Portal, the clinic (the controller) fulfils it in the Clinic, and the patient downloads the JSON,
 * which holds their name.
 */

test('a patient asks for a copy of their data, the clinic fulfils it, the patient downloads the JSON', async ({ browser }) => {
  const sql = database();
  const suffix = randomBytes(3).toString('hex');
  const familyName = `Exportescu${suffix}`;
  const email = `pacient-export-${suffix}@example.test`;
  const principalId = await confirmedAccount(email, `Iuliana ${familyName}`);
  const [kinetic] = await sql<{ id: string }[]>`select id from organizations where slug = 'kinetic'`;
  const { patientId } = await createPatient(sql, kinetic?.id ?? '', { principalId, givenName: 'Iuliana', familyName, createdBy: principalId });
  // The acknowledgements the Portal asks for first are made (the consents screens' work): the clinic
  // has a privacy notice (published here if the demo clinic has none yet) and the patient accepted it.
  await sql`insert into privacy_notices (organization_id, template_id, placeholder_values, chosen_sections, rendered, material, created_by)
    select ${kinetic?.id ?? ''}, t.id, '{}'::jsonb, '[]'::jsonb, '{"en": "Notice", "ro": "Notă"}'::jsonb, true, m.principal_id
    from privacy_notice_templates t, memberships m
    where m.organization_id = ${kinetic?.id ?? ''} and m.role = 'owner'
      and not exists (select 1 from privacy_notices n where n.organization_id = ${kinetic?.id ?? ''})
    order by t.version desc limit 1`;
  await sql`insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, document_version, recorded_by, source)
    select ${principalId}, null, 'platform_terms', 'grant', 'contract', max(version), ${principalId}, 'onboarding' from platform_terms_versions having count(*) > 0`;
  await sql`insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, document_version, recorded_by, source)
    select ${principalId}, ${kinetic?.id ?? ''}, 'privacy_notice', 'grant', 'legal_obligation', max(version), ${principalId}, 'onboarding'
    from privacy_notices where organization_id = ${kinetic?.id ?? ''} having count(*) > 0`;

  // The patient asks, in the Portal.
  const patientContext = await browser.newContext({ acceptDownloads: true });
  const portal = await patientContext.newPage();
  await portal.goto(`${origin()}/portal/`);
  const signInForm = portal.getByTestId('password-sign-in');
  await signInForm.getByLabel('Email').fill(email);
  await signInForm.getByLabel('Password').fill(REAL_PASSWORD);
  await signInForm.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(portal.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await portal.getByLabel(/Limbă|Language/).selectOption('en');
  await portal.getByTestId('portal-nav').getByRole('link', { name: 'Your data' }).click();
  await expect(portal.getByRole('heading', { name: 'Your data', level: 1 })).toBeVisible();
  await portal.getByRole('button', { name: 'Ask for a copy of my data' }).click();
  await portal.getByRole('dialog').getByRole('button', { name: 'Ask for a copy' }).click();
  await expect(portal.getByTestId('data-requests-outcome')).toHaveText('Your request for a copy was sent to your clinics.');
  const mine = portal.getByTestId('my-data-request').and(portal.locator('[data-clinic="Kinetic Recuperare"]'));
  await expect(mine).toHaveAttribute('data-status', 'requested');
  await expect(mine.getByTestId('download-json')).toHaveCount(0);

  // The clinic's owner finds it in the queue and fulfils it.
  const { page, context } = await signIn(browser, 'clinic', 'owner@kinetic.test');
  await page.getByTestId('clinic-nav').getByRole('link', { name: 'Data requests' }).click();
  const queued = page.getByTestId('clinic-data-request').filter({ has: page.getByRole('rowheader', { name: `Iuliana ${familyName}` }) });
  await expect(queued).toHaveAttribute('data-status', 'requested');
  await queued.getByRole('button', { name: 'Fulfil' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Fulfil' }).click();
  await expect(page.getByTestId('clinic-data-requests-outcome')).toHaveText('The request was fulfilled; the patient has been told.');
  await expect(queued).toHaveAttribute('data-status', 'fulfilled');
  await context.close();

  // The patient downloads it: machine-readable, with their name, from that clinic only.
  await portal.reload();
  await expect(mine).toHaveAttribute('data-status', 'fulfilled');
  const [download] = await Promise.all([portal.waitForEvent('download'), mine.getByTestId('download-json').click()]);
  expect(download.suggestedFilename()).toMatch(/^restartix-export-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { organization: { name: string }; tables: Record<string, Record<string, unknown>[]> };
  expect(exported.organization.name).toBe('Kinetic Recuperare');
  expect(exported.tables.patient_profiles?.[0]).toMatchObject({ given_name: 'Iuliana', family_name: familyName });
  expect(exported.tables.patients?.map((row) => row.id)).toEqual([patientId]);

  const downloads = await sql<{ actor_principal_id: string }[]>`
    select actor_principal_id from audit_log where action = 'data_request.export_downloaded' and organization_id = ${kinetic?.id ?? ''}
      and entity_id in (select id::text from data_subject_requests where requested_by = ${principalId})`;
  expect(downloads).toEqual([{ actor_principal_id: principalId }]);
  await patientContext.close();
  await sql.end();
});
