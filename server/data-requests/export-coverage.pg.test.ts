import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DATA_CLASSES } from '../../db/data-classes.ts';
import { asPrincipal, freshDatabase, type TestDatabase } from '../../infra/test/database.ts';
import { createHuman, createPatient } from '../../seeds/factories.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import { readingAsClinic } from './clinic-requests.ts';
import { collectExport, type ExportDocument } from './collect-export.ts';
import { EXPORT_SOURCES, NOT_EXPORTED, type ExportSubject } from './export-sources.ts';
import { renderExportHtml } from './export-html.ts';

/**
 * The export against the live schema and the data-class registry: every table with a personal or
 * health column is exported or says why not; an export carries every personal and health column of
 * the person's rows with its value; and nothing of another patient, or of the same person in another
 * clinic, gets in.
 */

let db: TestDatabase;
const fx = {} as Fixture;
type Seeded = { principalId: string; patientId: string; profileId: string; organizationId: string };
let subject: Seeded;
// Every row seeded for the subject in alpha, by table; and every row of someone else, or elsewhere.
const subjectRows: Record<string, string[]> = {};
const otherRows: Record<string, string[]> = {};
let document: ExportDocument;

const PERSONAL = new Set(['personal', 'health']);
const key = (schema: string, table: string) => (schema === 'public' ? table : `${schema}.${table}`);

async function seedRowsOf(admin: Sql, person: Seeded, into: Record<string, string[]>, tag: string): Promise<void> {
  const add = (table: string, id: string) => { (into[table] ??= []).push(id); };
  const { organizationId: org, patientId, principalId } = person;
  const staff = org === fx.alpha ? fx.people.adminAlpha : fx.people.adminBeta;
  add('patients', patientId);
  await admin`update patients set external_ref = ${`chart-${tag}`} where id = ${patientId}`;
  if (!(into.patient_profiles ?? []).includes(person.profileId)) add('patient_profiles', person.profileId);
  await admin`update patient_profiles set sex = 'female' where id = ${person.profileId}`;
  const invitation = randomUUID();
  add('invitations', invitation);
  await admin`insert into invitations (id, organization_id, kind, email, name, expires_at, created_by, accepted_at, accepted_by, patient_id)
    values (${invitation}, ${org}, 'patient', ${`${tag}@people.test`}, ${`Invited ${tag}`}, now() + interval '7 days', ${staff}, now(), ${principalId}, ${patientId})`;
  const [ledger] = await admin<{ id: string }[]>`insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, recorded_by, source)
    values (${principalId}, ${org}, 'reminders', 'grant', 'consent', ${principalId}, 'portal') returning id`;
  add('consent_ledger', ledger?.id ?? '');
  const [skip] = await admin<{ id: string }[]>`insert into purpose_notification_skips (organization_id, event_id, patient_id, principal_id, purpose, reason)
    values (${org}, ${randomUUID()}, ${patientId}, ${principalId}, 'marketing', 'never_granted') returning id`;
  add('purpose_notification_skips', skip?.id ?? '');
  const [tier] = await admin<{ id: string }[]>`insert into patient_tiers (organization_id, name, price_minor, billing_period, created_by, updated_by)
    values (${org}, ${`Tier ${tag}`}, 10000, 'month', ${staff}, ${staff}) returning id`;
  const [subscription] = await admin<{ id: string }[]>`insert into patient_subscriptions (organization_id, patient_id, tier_id, status, created_by, updated_by)
    values (${org}, ${patientId}, ${tier?.id ?? ''}, 'active', ${staff}, ${staff}) returning id`;
  add('patient_subscriptions', subscription?.id ?? '');
  const [declined] = await admin<{ id: string }[]>`insert into data_subject_requests (organization_id, patient_id, requested_by, kind, updated_by)
    values (${org}, ${patientId}, ${principalId}, 'erasure', ${principalId}) returning id`;
  await admin`update data_subject_requests set status = 'declined', reason = ${`Reason ${tag}`}, decided_by = ${staff}, updated_by = ${staff} where id = ${declined?.id ?? ''}`;
  add('data_subject_requests', declined?.id ?? '');
}

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  await seedTwoClinics(db.admin, fx);
  const person = await createHuman(db.admin, { email: 'ilinca@people.test', name: 'Ilinca Vasilescu', locale: 'en' });
  const other = await createHuman(db.admin, { email: 'sorin@people.test', name: 'Sorin Munteanu', locale: 'en' });
  const inAlpha = await createPatient(db.admin, fx.alpha, { principalId: person, givenName: 'Ilinca', familyName: 'Vasilescu', email: 'ilinca@people.test', phone: '+40 721 000 111', birthDate: '1984-03-02', createdBy: person });
  const inBeta = await createPatient(db.admin, fx.beta, { principalId: person, givenName: 'Ilinca', familyName: 'Vasilescu', createdBy: person });
  const otherInAlpha = await createPatient(db.admin, fx.alpha, { principalId: other, givenName: 'Sorin', familyName: 'Munteanu', email: 'sorin@people.test', phone: '+40 722 000 222', birthDate: '1970-01-01', createdBy: other });
  subject = { principalId: person, organizationId: fx.alpha, ...inAlpha };
  await seedRowsOf(db.admin, subject, subjectRows, 'ilinca-alpha');
  await seedRowsOf(db.admin, { principalId: person, organizationId: fx.beta, ...inBeta }, otherRows, 'ilinca-beta');
  await seedRowsOf(db.admin, { principalId: other, organizationId: fx.alpha, ...otherInAlpha }, otherRows, 'sorin-alpha');
  // The person's profile is one across clinics: it belongs in both clinics' exports, not as another's row.
  otherRows.patient_profiles = (otherRows.patient_profiles ?? []).filter((id) => id !== subject.profileId);

  // Collected as a specialist: a member who reads neither invitations nor billing still exports all the clinic holds.
  const specialist: AuthContext = { principalId: fx.people.specialistAlpha, organizationId: fx.alpha, membershipRole: 'specialist', platformRole: null };
  const exportSubject: ExportSubject = { organizationId: fx.alpha, patientId: subject.patientId, profileId: subject.profileId, principalId: subject.principalId };
  document = await asPrincipal(db.api, specialist, (tx) => readingAsClinic(tx, specialist, () => collectExport(tx, exportSubject, { requestId: randomUUID(), organizationName: 'Alpha' })));
});
afterAll(async () => { await db.close(); });

describe('the export registry', () => {
  it('names every table of the live database that has a personal or health column, as exported or not with a reason', async () => {
    const columns = await db.admin<{ table_schema: string; table_name: string; column_name: string }[]>`
      select table_schema, table_name, column_name from information_schema.columns where table_schema in ('public', 'auth')`;
    const withPersonalData = [...new Set(columns
      .filter((c) => PERSONAL.has(DATA_CLASSES[key(c.table_schema, c.table_name)]?.[c.column_name] ?? ''))
      .map((c) => key(c.table_schema, c.table_name)))];
    expect(withPersonalData.length).toBeGreaterThan(10);
    const unaccounted = withPersonalData.filter((table) => !(table in EXPORT_SOURCES) && !(table in NOT_EXPORTED));
    expect(unaccounted, 'tables with personal or health data in neither EXPORT_SOURCES nor NOT_EXPORTED').toEqual([]);
    // Both lists describe the schema as it is.
    const existing = new Set(columns.map((c) => key(c.table_schema, c.table_name)));
    expect([...Object.keys(EXPORT_SOURCES), ...Object.keys(NOT_EXPORTED)].filter((table) => !existing.has(table))).toEqual([]);
    expect(Object.keys(EXPORT_SOURCES).filter((table) => table in NOT_EXPORTED)).toEqual([]);
    for (const reason of Object.values(NOT_EXPORTED)) expect(reason.length).toBeGreaterThan(20);
  });

  it('exports no encrypted column as ciphertext: none of the exported tables holds one (decrypt in collectExport when one does)', async () => {
    const encrypted = await db.admin<{ table_name: string; column_name: string }[]>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and domain_name = 'encrypted_field' and table_name = any(${Object.keys(EXPORT_SOURCES)})`;
    expect(encrypted).toEqual([]);
  });
});

describe("one patient's export from one clinic", () => {
  it('has a row of the subject in every exported table, and exactly the rows seeded for them there', () => {
    for (const table of Object.keys(EXPORT_SOURCES)) {
      const seeded = subjectRows[table];
      expect(seeded, `the test seeds no row of ${table}: add one to seedRowsOf`).toBeDefined();
      const exported = (document.tables[table] ?? []).map((row) => row.id);
      expect(exported.sort(), table).toEqual([...(seeded ?? [])].sort());
    }
  });

  it('carries every personal and health column of those rows, with the value the database holds', async () => {
    let checked = 0;
    for (const [table, rows] of Object.entries(document.tables)) {
      const sensitive = Object.entries(DATA_CLASSES[table] ?? {}).filter(([, dataClass]) => PERSONAL.has(dataClass)).map(([column]) => column);
      expect(sensitive.length, `${table} is exported but has no personal or health column`).toBeGreaterThan(0);
      for (const row of rows) {
        const [truth] = await db.admin<{ row: Record<string, unknown> }[]>`select to_jsonb(t) as row from ${db.admin(table)} t where t.id = ${String(row.id)}`;
        for (const column of sensitive) {
          expect(truth?.row[column], `${table}.${column} is seeded with a value`).not.toBeNull();
          expect(row[column], `${table}.${column}`).toEqual(truth?.row[column]);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(14);
    expect(document.tables.patient_profiles?.[0]).toMatchObject({ given_name: 'Ilinca', family_name: 'Vasilescu', phone: '+40 721 000 111', birth_date: '1984-03-02' });
  });

  it("holds nothing of another patient of the clinic, nor of the same person's record in another clinic", () => {
    const exportedIds = new Set(Object.values(document.tables).flatMap((rows) => rows.map((row) => String(row.id))));
    const leaked = Object.entries(otherRows).flatMap(([table, ids]) => ids.filter((id) => exportedIds.has(id)).map((id) => `${table}:${id}`));
    expect(leaked).toEqual([]);
    const text = JSON.stringify(document);
    for (const foreign of ['Sorin', 'Munteanu', 'sorin@people.test', 'sorin-alpha', 'ilinca-beta', fx.beta]) expect(text).not.toContain(foreign);
    expect(text).toContain('chart-ilinca-alpha');
  });

  it('keeps no secret column, and reads as the HTML page for the person', () => {
    for (const [table, rows] of Object.entries(document.tables)) {
      for (const row of rows) for (const column of Object.keys(row)) expect(DATA_CLASSES[table]?.[column], `${table}.${column}`).not.toBe('secret');
    }
    const html = renderExportHtml({ ...document, organization: { id: fx.alpha, name: '<Alpha & co>' } }, 'ro');
    expect(html).toContain('Fișa dumneavoastră la clinică');
    expect(html).toContain('+40 721 000 111');
    expect(html).toContain('&lt;Alpha &amp; co&gt;');
    expect(html).not.toContain('<Alpha');
  });
});
