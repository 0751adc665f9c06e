import { randomUUID } from 'node:crypto';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal, freshDatabase, type TestDatabase } from '../../infra/test/database.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import { actAs } from '../db-scope.ts';
import { createPatientPerson, currentTermsVersion, publishNoticeAsAdmin } from './consent-fixture.ts';

/**
 * 0019_consent_ledger.sql from the database's side, as an attacker would try it: the ledger cannot
 * be changed or erased by the runtime role, by the migration owner or by a superuser; the current
 * state is the latest row; a person reads and records only their own rows; a clinic reads only the
 * clinic-scope rows of its own live patients who shared their profile with it; onboarding shares a
 * profile only with the acknowledgements made, and only the caller's own.
 */

let db: TestDatabase;
let owner: Sql;
const fx = {} as Fixture;
const people = {} as Record<'pat' | 'both' | 'betaOnly' | 'unshared' | 'stranger' | 'deleted', { principalId: string; patients: string[] }>;
let terms = 0;
let alphaNotice = 0;
let betaNotice = 0;

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  owner = postgres(db.urls.owner, { max: 2, onnotice: () => undefined });
  await seedTwoClinics(db.admin, fx);
  people.pat = await createPatientPerson(db.admin, 'pat@people.test', [{ organizationId: fx.alpha, shared: true }]);
  people.both = await createPatientPerson(db.admin, 'both@people.test', [{ organizationId: fx.alpha, shared: true }, { organizationId: fx.beta, shared: true }]);
  people.betaOnly = await createPatientPerson(db.admin, 'betaonly@people.test', [{ organizationId: fx.beta, shared: true }]);
  people.unshared = await createPatientPerson(db.admin, 'unshared@people.test', [{ organizationId: fx.alpha }]);
  people.stranger = await createPatientPerson(db.admin, 'stranger@people.test', []);
  people.deleted = await createPatientPerson(db.admin, 'deleted@people.test', [{ organizationId: fx.alpha, shared: true }]);
  terms = await currentTermsVersion(db.admin);
  alphaNotice = await publishNoticeAsAdmin(db.admin, fx.alpha, fx.people.ownerAlpha);
  betaNotice = await publishNoticeAsAdmin(db.admin, fx.beta, fx.people.adminBeta);
  // Rows recorded as each person while they were patients (the deleted one's record goes afterwards).
  for (const [who, org] of [['pat', fx.alpha], ['both', fx.alpha], ['both', fx.beta], ['betaOnly', fx.beta], ['unshared', fx.alpha], ['deleted', fx.alpha]] as const) {
    await db.admin`insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, recorded_by, source)
      values (${people[who].principalId}, ${org}, 'reminders', 'grant', 'consent', ${people[who].principalId}, 'portal')`;
  }
  await db.admin`insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, document_version, recorded_by, source)
    values (${people.pat.principalId}, null, 'platform_terms', 'grant', 'contract', ${terms}, ${people.pat.principalId}, 'onboarding')`;
  await db.admin`update patients set deleted_at = now(), deleted_by = ${fx.people.adminAlpha}, updated_by = ${fx.people.adminAlpha}
    where id = ${people.deleted.patients[0] ?? ''}`;
});
afterAll(async () => {
  await owner.end();
  await db.close();
});

const person = (principalId: string): AuthContext => ({ principalId, organizationId: null, membershipRole: null, platformRole: null });
const member = (principalId: string, organizationId: string, membershipRole: AuthContext['membershipRole']): AuthContext =>
  ({ principalId, organizationId, membershipRole, platformRole: null });

type Outcome = { rows: number } | { refused: string | undefined; constraint: string | undefined };
async function attempt(auth: AuthContext, statement: (tx: TransactionSql) => PromiseLike<readonly unknown[]>): Promise<Outcome> {
  try {
    return { rows: (await asPrincipal(db.api, auth, async (tx): Promise<readonly unknown[]> => statement(tx))).length };
  } catch (error) {
    return { refused: (error as { code?: string }).code, constraint: (error as { constraint_name?: string }).constraint_name };
  }
}

const ownRows = (principalId: string) => asPrincipal(db.api, person(principalId), async (tx) =>
  tx<{ principal_id: string; organization_id: string | null; purpose: string }[]>`select principal_id, organization_id, purpose from consent_ledger order by seq`);

const record = (auth: AuthContext, row: { principalId?: string; organizationId: string | null; purpose: string; action?: string; legalBasis?: string; version?: number | null; recordedBy?: string }) =>
  (tx: TransactionSql) => tx`insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, document_version, recorded_by, source)
    values (${row.principalId ?? auth.principalId}, ${row.organizationId}, ${row.purpose}, ${row.action ?? 'grant'}, ${row.legalBasis ?? 'consent'},
            ${row.version ?? null}, ${row.recordedBy ?? auth.principalId}, 'portal') returning id`;

describe('the ledger is append-only', () => {
  it('refuses the runtime role any update or delete, even of its own rows', async () => {
    const pat = person(people.pat.principalId);
    expect(await attempt(pat, (tx) => tx`update consent_ledger set action = 'withdraw' where principal_id = ${people.pat.principalId} returning id`))
      .toMatchObject({ refused: '42501' });
    expect(await attempt(pat, (tx) => tx`delete from consent_ledger where principal_id = ${people.pat.principalId} returning id`))
      .toMatchObject({ refused: '42501' });
    expect(await attempt(pat, (tx) => tx`truncate consent_ledger`)).toMatchObject({ refused: '42501' });
  });

  it('refuses the migration owner too, with row security out of the way', async () => {
    const before = await db.admin<{ n: number }[]>`select count(*)::int as n from consent_ledger`;
    await expect(owner`update consent_ledger set action = 'withdraw'`).rejects.toMatchObject({ constraint_name: 'consent_ledger_append_only' });
    await expect(owner`delete from consent_ledger`).rejects.toMatchObject({ constraint_name: 'consent_ledger_append_only' });
    await expect(owner`truncate consent_ledger cascade`).rejects.toMatchObject({ code: '42501' });
    // The owner may lift FORCE on its table; the trigger still refuses.
    await expect(owner.begin(async (tx) => {
      await tx`alter table consent_ledger no force row level security`;
      await tx`update consent_ledger set legal_basis = 'contract'`;
    })).rejects.toMatchObject({ constraint_name: 'consent_ledger_append_only' });
    await expect(db.admin`delete from consent_ledger where principal_id = ${people.pat.principalId}`).rejects.toMatchObject({ constraint_name: 'consent_ledger_append_only' });
    expect(await db.admin<{ n: number }[]>`select count(*)::int as n from consent_ledger`).toEqual(before);
  });

  it('stamps rows with the database clock, whatever the writer says', async () => {
    const pat = person(people.pat.principalId);
    expect(await attempt(pat, (tx) => tx`insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, recorded_by, source, recorded_at)
      values (${people.pat.principalId}, ${fx.alpha}, 'marketing', 'grant', 'consent', ${people.pat.principalId}, 'portal', '2001-01-01') returning id`))
      .toMatchObject({ refused: '42501' });
    // Not even a superuser's insert backdates one: the trigger stamps it.
    const [row] = await db.admin<{ recorded_at: Date }[]>`insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, document_version, recorded_by, source, recorded_at)
      values (${people.stranger.principalId}, null, 'platform_terms', 'grant', 'contract', ${terms}, ${people.stranger.principalId}, 'portal', '2001-01-01')
      returning recorded_at`;
    expect(row?.recorded_at.getFullYear()).not.toBe(2001);
  });
});

describe('rows are checked against their purpose', () => {
  it('keeps platform purposes out of clinics, clinic purposes out of the platform, and withdrawals to consent', async () => {
    const pat = person(people.pat.principalId);
    expect(await attempt(pat, record(pat, { organizationId: fx.alpha, purpose: 'platform_terms', legalBasis: 'contract', version: terms })))
      .toMatchObject({ refused: '23514', constraint: 'consent_ledger_scope_matches_purpose' });
    expect(await attempt(pat, record(pat, { organizationId: null, purpose: 'reminders' })))
      .toMatchObject({ refused: '23514', constraint: 'consent_ledger_scope_matches_purpose' });
    expect(await attempt(pat, record(pat, { organizationId: null, purpose: 'platform_terms', action: 'withdraw', legalBasis: 'contract' })))
      .toMatchObject({ refused: '23514', constraint: 'consent_ledger_withdraw_consent_only' });
    expect(await attempt(pat, record(pat, { organizationId: null, purpose: 'platform_terms', legalBasis: 'contract' })))
      .toMatchObject({ refused: '23514', constraint: 'consent_ledger_document_version_required' });
    expect(await attempt(pat, record(pat, { organizationId: fx.alpha, purpose: 'privacy_notice', legalBasis: 'legal_obligation', version: alphaNotice + 5 })))
      .toMatchObject({ constraint: 'consent_ledger_document_version_exists' });
    expect(await attempt(pat, record(pat, { organizationId: fx.alpha, purpose: 'no_such_purpose' }))).toMatchObject({ refused: '23503' });
  });
});

describe('the current state', () => {
  it('is the latest row per person, clinic and purpose', async () => {
    const who = people.both.principalId;
    const auth = person(who);
    const states = await asPrincipal(db.api, auth, async (tx) => {
      const seen: (boolean | undefined)[] = [];
      const now = async () => (await tx<{ granted: boolean }[]>`select granted from consent_current
        where principal_id = ${who} and organization_id = ${fx.alpha} and purpose = 'marketing'`)[0]?.granted;
      seen.push(await now());
      for (const action of ['grant', 'withdraw', 'grant', 'withdraw'] as const) {
        await record(auth, { organizationId: fx.alpha, purpose: 'marketing', action })(tx);
        seen.push(await now());
      }
      // Another clinic's row of the same purpose is its own state.
      await record(auth, { organizationId: fx.beta, purpose: 'marketing' })(tx);
      seen.push((await tx<{ granted: boolean }[]>`select granted from consent_current where organization_id = ${fx.beta} and purpose = 'marketing'`)[0]?.granted);
      seen.push(await now());
      return seen;
    });
    expect(states).toEqual([undefined, true, false, true, false, true, false]);
  });
});

describe('row-level security, from the attacker\'s side', () => {
  it('shows a person their own rows only', async () => {
    const rows = await ownRows(people.pat.principalId);
    expect(rows.length).toBe(2);
    expect(rows.every((row) => row.principal_id === people.pat.principalId)).toBe(true);
    expect(await ownRows(people.unshared.principalId)).toEqual([{ principal_id: people.unshared.principalId, organization_id: fx.alpha, purpose: 'reminders' }]);
  });

  it('refuses a person recording for someone else, in someone else\'s name, or for a clinic they are not a patient of', async () => {
    const pat = person(people.pat.principalId);
    expect(await attempt(pat, record(pat, { principalId: people.both.principalId, organizationId: fx.alpha, purpose: 'marketing' })))
      .toMatchObject({ refused: '42501' });
    expect(await attempt(pat, record(pat, { organizationId: fx.alpha, purpose: 'marketing', recordedBy: fx.people.adminAlpha })))
      .toMatchObject({ refused: '42501' });
    expect(await attempt(pat, record(pat, { organizationId: fx.beta, purpose: 'marketing' }))).toMatchObject({ refused: '42501' });
    // A deleted record is no longer a way in either.
    const gone = person(people.deleted.principalId);
    expect(await attempt(gone, record(gone, { organizationId: fx.alpha, purpose: 'marketing' }))).toMatchObject({ refused: '42501' });
    expect(await attempt(pat, record(pat, { organizationId: fx.alpha, purpose: 'marketing' }))).toEqual({ rows: 1 });
  });

  it('shows a clinic the clinic-scope rows of its live, shared patients only', async () => {
    const seen = async (auth: AuthContext) => asPrincipal(db.api, auth, async (tx) =>
      tx<{ principal_id: string; organization_id: string | null }[]>`select principal_id, organization_id from consent_ledger`);
    const alphaRows = await seen(member(fx.people.adminAlpha, fx.alpha, 'admin'));
    expect(new Set(alphaRows.map((row) => row.principal_id))).toEqual(new Set([people.pat.principalId, people.both.principalId]));
    // Not the platform's rows, not another clinic's, not a non-patient's, not an unshared or deleted patient's.
    expect(alphaRows.every((row) => row.organization_id === fx.alpha)).toBe(true);
    const betaRows = await seen(member(fx.people.adminBeta, fx.beta, 'admin'));
    expect(new Set(betaRows.map((row) => row.principal_id))).toEqual(new Set([people.both.principalId, people.betaOnly.principalId]));
    expect(betaRows.every((row) => row.organization_id === fx.beta)).toBe(true);
    // An alpha admin naming beta's rows outright gets nothing.
    expect(await asPrincipal(db.api, member(fx.people.adminAlpha, fx.alpha, 'admin'), (tx) =>
      tx`select 1 from consent_ledger where organization_id = ${fx.beta} or principal_id = ${people.betaOnly.principalId}`)).toHaveLength(0);
    // Without patients.read, nothing; an operator neither.
    expect(await seen(member(fx.people.staffAlpha, fx.alpha, 'staff'))).toEqual([]);
    expect(await seen({ principalId: fx.people.root, organizationId: null, membershipRole: null, platformRole: 'superadmin' })).toEqual([]);
  });

  it('never lets a clinic write a patient\'s consent', async () => {
    const admin = member(fx.people.adminAlpha, fx.alpha, 'admin');
    expect(await attempt(admin, record(admin, { principalId: people.pat.principalId, organizationId: fx.alpha, purpose: 'marketing' })))
      .toMatchObject({ refused: '42501' });
  });

  it('lets every signed-in principal read the purpose catalogue, and nobody change it', async () => {
    const codes = await asPrincipal(db.api, { principalId: fx.people.root, organizationId: null, membershipRole: null, platformRole: 'superadmin' },
      async (tx) => (await tx<{ code: string }[]>`select code from consent_purposes order by position`).map((row) => row.code));
    expect(codes).toEqual(['platform_terms', 'privacy_notice', 'reminders', 'marketing']);
    expect(await attempt(person(people.pat.principalId), (tx) => tx`update consent_purposes set requirement = 'optional' returning code`)).toMatchObject({ refused: '42501' });
    await expect(owner`update consent_purposes set position = 0`).rejects.toMatchObject({ code: '42501' });
  });
});

describe('completing onboarding', () => {
  const complete = (principalId: string, organizationId: string) => async (tx: TransactionSql) =>
    tx<{ shared: Date | null }[]>`select app_complete_patient_onboarding(${organizationId}) as shared`;
  const sharedAt = async (patientId: string) =>
    (await db.admin<{ at: Date | null }[]>`select profile_shared_at as at from patients where id = ${patientId}`)[0]?.at ?? null;

  it('is refused while an acknowledgement is missing, and shares the caller\'s own record once they exist', async () => {
    const newcomer = await createPatientPerson(db.admin, 'newcomer@people.test', [{ organizationId: fx.alpha }, { organizationId: fx.beta }]);
    const me = person(newcomer.principalId);
    expect(await attempt(me, complete(newcomer.principalId, fx.alpha))).toMatchObject({ refused: '23514', constraint: 'consent_onboarding_incomplete' });
    const shared = await db.api.begin(async (tx) => {
      await actAs(tx, me);
      await record(me, { organizationId: null, purpose: 'platform_terms', legalBasis: 'contract', version: terms })(tx);
      // The terms alone are not enough.
      const early = await tx.savepoint((sp) => complete(newcomer.principalId, fx.alpha)(sp))
        .then(() => 'shared', (error: { constraint_name?: string }) => error.constraint_name);
      await record(me, { organizationId: fx.alpha, purpose: 'privacy_notice', legalBasis: 'legal_obligation', version: alphaNotice })(tx);
      const [done] = await complete(newcomer.principalId, fx.alpha)(tx);
      return { early, at: done?.shared ?? null };
    });
    expect(shared.early).toBe('consent_onboarding_incomplete');
    expect(shared.at).toBeInstanceOf(Date);
    expect(await sharedAt(newcomer.patients[0] ?? '')).toEqual(shared.at);
    // Beta's notice was never acknowledged: beta still does not see the profile.
    expect(await sharedAt(newcomer.patients[1] ?? '')).toBeNull();
    expect(await attempt(me, complete(newcomer.principalId, fx.beta))).toMatchObject({ constraint: 'consent_onboarding_incomplete' });
  });

  it('shares nobody else\'s record: a person with every acknowledgement calling for a clinic they are not a patient of gets nothing', async () => {
    const pat = person(people.pat.principalId);
    const before = await sharedAt(people.betaOnly.patients[0] ?? '');
    // Every acknowledgement beta asks for, written behind RLS's back: still no record of pat's there to share.
    await db.admin`insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, document_version, recorded_by, source)
      values (${people.pat.principalId}, ${fx.beta}, 'privacy_notice', 'grant', 'legal_obligation', ${betaNotice}, ${people.pat.principalId}, 'portal')`;
    expect(await attempt(pat, complete(people.pat.principalId, fx.beta))).toEqual({ refused: 'P0002', constraint: 'consent_onboarding_no_record' });
    expect(await sharedAt(people.betaOnly.patients[0] ?? '')).toEqual(before);
    expect(await sharedAt(people.unshared.patients[0] ?? '')).toBeNull();
  });

  it('cannot be skipped: the runtime role cannot set profile_shared_at itself, as the patient or as the clinic', async () => {
    const target = people.unshared.patients[0] ?? '';
    expect(await attempt(person(people.unshared.principalId), (tx) => tx`update patients set profile_shared_at = now() where id = ${target} returning id`))
      .toMatchObject({ refused: '42501' });
    expect(await attempt(member(fx.people.adminAlpha, fx.alpha, 'admin'), (tx) => tx`update patients set profile_shared_at = now() where id = ${target} returning id`))
      .toMatchObject({ refused: '42501' });
    // Nor by opening the function's window by hand.
    expect(await attempt(person(people.unshared.principalId), async (tx) => {
      await tx`select set_config('app.patients_owner_window', 'open', true), set_config('app.patient_sharing', 'on', true)`;
      return tx`update patients set profile_shared_at = now() where id = ${target} returning id`;
    })).toMatchObject({ refused: '42501' });
    expect(await sharedAt(target)).toBeNull();
  });

  it('is not callable by the server\'s login outside a request', async () => {
    await expect(db.api`select app_complete_patient_onboarding(${fx.alpha})`).rejects.toMatchObject({ code: '42501' });
  });
});

describe('the purpose gate for notifications', () => {
  const gate = (principalId: string | null, organizationId: string, patientId: string, eventId = randomUUID()) =>
    db.api<{ send: boolean }[]>`select app_gate_purpose_notification(${eventId}, ${organizationId}, ${patientId}, ${principalId}, 'reminders') as send`
      .then((rows) => rows[0]?.send);

  it('answers from the current ledger and records each skip once', async () => {
    const p = people.pat;
    expect(await gate(p.principalId, fx.alpha, p.patients[0] ?? '')).toBe(true);
    await db.admin`insert into consent_ledger (principal_id, organization_id, purpose, action, legal_basis, recorded_by, source)
      values (${p.principalId}, ${fx.alpha}, 'reminders', 'withdraw', 'consent', ${p.principalId}, 'portal')`;
    const event = randomUUID();
    expect(await gate(p.principalId, fx.alpha, p.patients[0] ?? '', event)).toBe(false);
    expect(await gate(p.principalId, fx.alpha, p.patients[0] ?? '', event)).toBe(false);
    const skips = await db.admin<{ reason: string }[]>`select reason from purpose_notification_skips where event_id = ${event}`;
    expect(skips).toEqual([{ reason: 'withdrawn' }]);
    expect(await gate(people.stranger.principalId, fx.alpha, randomUUID())).toBe(false);
    expect(await gate(null, fx.alpha, randomUUID())).toBe(false);
    const reasons = await db.admin<{ reason: string }[]>`select reason from purpose_notification_skips order by created_at`;
    expect(reasons.map((row) => row.reason)).toEqual(['withdrawn', 'never_granted', 'no_account']);
  });

  it('is the job runner\'s only: the runtime role cannot call it', async () => {
    expect(await attempt(person(people.pat.principalId), (tx) => tx`select app_gate_purpose_notification(${randomUUID()}, ${fx.alpha}, ${randomUUID()}, ${people.pat.principalId}, 'reminders')`))
      .toMatchObject({ refused: '42501' });
  });

  it('shows a clinic the skips of its own patients only', async () => {
    const alphaSkips = await asPrincipal(db.api, member(fx.people.adminAlpha, fx.alpha, 'admin'), (tx) => tx`select 1 from purpose_notification_skips`);
    const betaSkips = await asPrincipal(db.api, member(fx.people.adminBeta, fx.beta, 'admin'), (tx) => tx`select 1 from purpose_notification_skips`);
    expect(alphaSkips.length).toBe(3);
    expect(betaSkips.length).toBe(0);
  });
});
