import postgres, { type Sql, type TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal, freshDatabase, type TestDatabase } from '../../infra/test/database.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import { createPatientPerson } from '../consents/consent-fixture.ts';
import { actAs } from '../db-scope.ts';

/**
 * 0020_privacy_notices.sql from the database's side: versions are numbered by the database and
 * immutable for every role, the migration owner and a superuser included; terms and templates are
 * published by superadmins only, a clinic's notice by its people managers only, as themselves; a
 * clinic's notice is read by its members and its own patients, not by another clinic's; and a
 * material version asks the patient to acknowledge again, a minor one does not.
 */

let db: TestDatabase;
let owner: Sql;
const fx = {} as Fixture;
let patient = { principalId: '', patients: [] as string[] };
let stranger = { principalId: '', patients: [] as string[] };

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  owner = postgres(db.urls.owner, { max: 1, onnotice: () => undefined });
  await seedTwoClinics(db.admin, fx);
  patient = await createPatientPerson(db.admin, 'patient@people.test', [{ organizationId: fx.alpha, shared: true }]);
  stranger = await createPatientPerson(db.admin, 'stranger@people.test', [{ organizationId: fx.beta, shared: true }]);
});
afterAll(async () => {
  await owner.end();
  await db.close();
});

const member = (principalId: string, organizationId: string, membershipRole: AuthContext['membershipRole']): AuthContext => ({ principalId, organizationId, membershipRole, platformRole: null });
const person = (principalId: string): AuthContext => ({ principalId, organizationId: null, membershipRole: null, platformRole: null });
const operator = (platformRole: AuthContext['platformRole']): AuthContext => ({ principalId: fx.people.root, organizationId: null, membershipRole: null, platformRole });

async function attempt(auth: AuthContext, statement: (tx: TransactionSql) => PromiseLike<readonly unknown[]>) {
  try {
    return { rows: await asPrincipal(db.api, auth, async (tx): Promise<readonly unknown[]> => statement(tx)) };
  } catch (error) {
    return { refused: (error as { code?: string }).code };
  }
}

const publishNotice = (auth: AuthContext, organizationId: string, material: boolean, createdBy = auth.principalId) => (tx: TransactionSql) => tx<{ version: number; material: boolean }[]>`
  insert into privacy_notices (organization_id, template_id, placeholder_values, chosen_sections, rendered, material, created_by)
  select ${organizationId}, id, '{}', '[]', '{"en": "Text", "ro": "Text"}', ${material}, ${createdBy} from privacy_notice_templates order by version desc limit 1
  returning version, material`;

describe('platform documents', () => {
  it('ship a first terms version and a first template, readable by everyone signed in', async () => {
    const seen = await asPrincipal(db.api, person(patient.principalId), async (tx) => ({
      terms: await tx`select version, material from platform_terms_versions`,
      templates: await tx`select version from privacy_notice_templates`,
    }));
    expect(seen.terms).toEqual([{ version: 1, material: true }]);
    expect(seen.templates).toEqual([{ version: 1 }]);
  });

  it('are published by superadmins only, as themselves, numbered by the database', async () => {
    const terms = (createdBy: string) => (tx: TransactionSql) => tx`insert into platform_terms_versions (body, material, created_by)
      values ('{"en": "T", "ro": "T"}', false, ${createdBy}) returning version`;
    expect(await attempt(operator('support_engineer'), terms(fx.people.root))).toEqual({ refused: '42501' });
    expect(await attempt(member(fx.people.ownerAlpha, fx.alpha, 'owner'), terms(fx.people.ownerAlpha))).toEqual({ refused: '42501' });
    expect(await attempt(operator('superadmin'), terms(fx.people.adminAlpha))).toEqual({ refused: '42501' });
    expect(await attempt(operator('superadmin'), terms(fx.people.root))).toEqual({ rows: [{ version: 2 }] });
    // Naming the version oneself changes nothing: the database numbers it.
    expect(await attempt(operator('superadmin'), (tx) => tx`insert into platform_terms_versions (version, body, material, created_by)
      values (99, '{"en": "T", "ro": "T"}', false, ${fx.people.root}) returning version`)).toEqual({ refused: '42501' });
    expect(await attempt(operator('support_engineer'), (tx) => tx`insert into privacy_notice_templates (sections, created_by)
      values ('[{}]', ${fx.people.root}) returning version`)).toEqual({ refused: '42501' });
  });
});

describe('a clinic\'s notice', () => {
  it('is published by members.manage holders of that clinic only, as themselves; the first is material', async () => {
    const owner_ = member(fx.people.ownerAlpha, fx.alpha, 'owner');
    expect(await attempt(member(fx.people.specialistAlpha, fx.alpha, 'specialist'), publishNotice(member(fx.people.specialistAlpha, fx.alpha, 'specialist'), fx.alpha, true)))
      .toEqual({ refused: '42501' });
    expect(await attempt(member(fx.people.adminBeta, fx.beta, 'admin'), publishNotice(member(fx.people.adminBeta, fx.beta, 'admin'), fx.alpha, true)))
      .toEqual({ refused: '42501' });
    expect(await attempt(owner_, publishNotice(owner_, fx.alpha, true, fx.people.adminAlpha))).toEqual({ refused: '42501' });
    expect(await attempt(person(patient.principalId), publishNotice(person(patient.principalId), fx.alpha, true))).toEqual({ refused: '42501' });
    await db.api.begin(async (tx) => {
      await actAs(tx, owner_);
      expect(await publishNotice(owner_, fx.alpha, false)(tx)).toEqual([{ version: 1, material: true }]);
      expect(await publishNotice(owner_, fx.alpha, false)(tx)).toEqual([{ version: 2, material: false }]);
    });
    const beta = member(fx.people.adminBeta, fx.beta, 'admin');
    await db.api.begin(async (tx) => {
      await actAs(tx, beta);
      expect(await publishNotice(beta, fx.beta, true)(tx)).toEqual([{ version: 1, material: true }]);
    });
  });

  it('is read by the clinic\'s members and its own patients only', async () => {
    const orgs = async (auth: AuthContext) => (await asPrincipal(db.api, auth, (tx) => tx<{ organization_id: string }[]>`select distinct organization_id from privacy_notices`))
      .map((row) => row.organization_id);
    expect(await orgs(member(fx.people.staffAlpha, fx.alpha, 'staff'))).toEqual([fx.alpha]);
    expect(await orgs(person(patient.principalId))).toEqual([fx.alpha]);
    expect(await orgs(person(stranger.principalId))).toEqual([fx.beta]);
    expect(await orgs(member(fx.people.adminBeta, fx.beta, 'admin'))).toEqual([fx.beta]);
  });

  it('never changes once published, not for the owner of the tables nor a superuser', async () => {
    const owner_ = member(fx.people.ownerAlpha, fx.alpha, 'owner');
    expect(await attempt(owner_, (tx) => tx`update privacy_notices set material = true returning version`)).toEqual({ refused: '42501' });
    expect(await attempt(owner_, (tx) => tx`delete from privacy_notices returning version`)).toEqual({ refused: '42501' });
    for (const table of ['privacy_notices', 'platform_terms_versions', 'privacy_notice_templates']) {
      await expect(owner.unsafe(`update ${table} set created_at = now()`)).rejects.toMatchObject({ constraint_name: 'document_versions_immutable' });
      await expect(owner.unsafe(`delete from ${table}`)).rejects.toMatchObject({ constraint_name: 'document_versions_immutable' });
      await expect(db.admin.unsafe(`update ${table} set created_at = now()`)).rejects.toMatchObject({ constraint_name: 'document_versions_immutable' });
    }
  });

  it('asks the patient again after a material version, not after a minor one', async () => {
    const me = person(patient.principalId);
    const outstanding = async () => (await asPrincipal(db.api, me, (tx) => tx<{ outstanding: boolean; acknowledged_version: number | null; required_version: number }[]>`
      select outstanding, acknowledged_version, required_version from app_acknowledgements(${patient.principalId}, ${fx.alpha}) where purpose = 'privacy_notice'`))[0];
    expect(await outstanding()).toEqual({ outstanding: true, acknowledged_version: null, required_version: 1 });
    await db.admin`insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, document_version, recorded_by, source)
      values (${patient.principalId}, ${fx.alpha}, 'privacy_notice', 'grant', 'legal_obligation', 1, ${patient.principalId}, 'onboarding')`;
    // Version 2 was minor: version 1's acknowledgement still stands.
    expect(await outstanding()).toEqual({ outstanding: false, acknowledged_version: 1, required_version: 1 });
    const owner_ = member(fx.people.ownerAlpha, fx.alpha, 'owner');
    await db.api.begin(async (tx) => {
      await actAs(tx, owner_);
      await publishNotice(owner_, fx.alpha, true)(tx);
    });
    expect(await outstanding()).toEqual({ outstanding: true, acknowledged_version: 1, required_version: 3 });
  });
});
