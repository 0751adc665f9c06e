import { randomUUID } from 'node:crypto';
import { defineMutator, defineMutators } from '@rocicorp/zero';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal } from '../infra/test/database.ts';
import { tamperedClients, type Verdict } from '../infra/test/tampered-clients.ts';
import { startTestStack, type Session, type TestStack } from '../infra/test/test-stack.ts';
import { addMembership, createCustomRole, createHuman, createOrganization, createPatient } from '../seeds/factories.ts';
import { createPatientSubscription, createPatientTier } from '../seeds/patient-tier-factories.ts';
import { queries } from '../sync-rules/queries.ts';

/**
 * Patient tiers and subscriptions through the real mutate path, from a client whose own mutators do
 * nothing (as a tampered client's would), so every argument reaches the server; and raw SQL as the
 * runtime role, which migration 0021 holds to the same rules.
 */
const noop = defineMutator(() => Promise.resolve());
const tampered = defineMutators({ tier: { create: noop, update: noop, setStatus: noop, subscribe: noop, setSubscriptionStatus: noop } });

const ids = {} as Record<
  | 'alpha' | 'beta' | 'owner' | 'admin' | 'billing' | 'receptionist' | 'cashier' | 'staff' | 'betaOwner' | 'ana' | 'ion'
  | 'anaAlpha' | 'anaBeta' | 'ionAlpha' | 'unclaimedAlpha' | 'deletedAlpha' | 'betaTier' | 'alphaTier' | 'ionSubscription',
  string
>;

async function seed(sql: Sql): Promise<void> {
  ids.alpha = await createOrganization(sql, { slug: 'alpha', name: 'Alpha' });
  ids.beta = await createOrganization(sql, { slug: 'beta', name: 'Beta' });
  const person = (email: string) => createHuman(sql, { email, name: email.split('@')[0] ?? email });
  ids.owner = await person('owner@alpha.test');
  ids.admin = await person('admin@alpha.test');
  ids.billing = await person('billing@alpha.test');
  ids.receptionist = await person('desk@alpha.test');
  ids.cashier = await person('cashier@alpha.test');
  ids.staff = await person('staff@alpha.test');
  ids.betaOwner = await person('owner@beta.test');
  ids.ana = await person('ana@patient.test');
  ids.ion = await person('ion@patient.test');
  await addMembership(sql, ids.alpha, ids.owner, 'owner');
  await addMembership(sql, ids.alpha, ids.admin, 'admin');
  await addMembership(sql, ids.alpha, ids.billing, 'billing');
  await addMembership(sql, ids.alpha, ids.receptionist, 'receptionist');
  await addMembership(sql, ids.alpha, ids.staff, 'staff');
  // A custom role that manages billing and reads patients: what the subscription screen needs.
  const cashierRole = await createCustomRole(sql, ids.alpha, { name: 'Cashier', permissions: ['billing.manage', 'patients.read'], createdBy: ids.owner });
  await addMembership(sql, ids.alpha, ids.cashier, 'custom', cashierRole);
  await addMembership(sql, ids.beta, ids.betaOwner, 'owner');
  // Ana is a patient of both clinics with one account; Ion of Alpha only.
  ids.anaAlpha = (await createPatient(sql, ids.alpha, { principalId: ids.ana, givenName: 'Ana', familyName: 'Pop', createdBy: ids.ana })).patientId;
  ids.anaBeta = (await createPatient(sql, ids.beta, { principalId: ids.ana, givenName: 'Ana', familyName: 'Pop', createdBy: ids.ana })).patientId;
  ids.ionAlpha = (await createPatient(sql, ids.alpha, { principalId: ids.ion, givenName: 'Ion', familyName: 'Rus', createdBy: ids.ion })).patientId;
  ids.unclaimedAlpha = (await createPatient(sql, ids.alpha, { givenName: 'Maria', familyName: 'Lungu', createdBy: ids.owner })).patientId;
  ids.deletedAlpha = (await createPatient(sql, ids.alpha, { givenName: 'Gone', familyName: 'Away', createdBy: ids.owner, deleted: { by: ids.owner } })).patientId;
  ids.alphaTier = await createPatientTier(sql, ids.alpha, { name: 'Recuperare', priceMinor: 25000, billingPeriod: 'month', createdBy: ids.owner });
  ids.betaTier = await createPatientTier(sql, ids.beta, { name: 'Beta plan', priceMinor: 9900, billingPeriod: 'year', createdBy: ids.betaOwner });
  ids.ionSubscription = await createPatientSubscription(sql, ids.alpha, { patientId: ids.ionAlpha, tierId: ids.alphaTier, createdBy: ids.owner });
  await createPatientSubscription(sql, ids.beta, { patientId: ids.anaBeta, tierId: ids.betaTier, createdBy: ids.betaOwner, status: 'trialing' });
  // Ana's earlier subscription in Alpha, ended: it does not stand in the way of a new one.
  await createPatientSubscription(sql, ids.alpha, { patientId: ids.anaAlpha, tierId: ids.alphaTier, createdBy: ids.owner, status: 'expired' });
}

let stack: TestStack;
let clients: ReturnType<typeof tamperedClients<typeof tampered>>;

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), seed);
  clients = tamperedClients(stack.origin, tampered);
});
afterAll(async () => {
  await clients.close();
  await stack.stop();
});

/** One client per person, used for both their writes and their reads: two in one process would share a client group. */
type Actor = { session: Session; zero: ReturnType<typeof clients.clientOf>; push: (call: (m: typeof tampered) => unknown) => Promise<Verdict> };
const actors = new Map<string, Actor>();

async function as(email: string): Promise<Actor> {
  const known = actors.get(email);
  if (known !== undefined) return known;
  const session = await stack.login(email);
  const actor: Actor = { session, zero: clients.clientOf(session), push: (call) => clients.push(session, call) };
  actors.set(email, actor);
  return actor;
}

type TierRow = { name: string; description: string; price_minor: number; currency: string; billing_period: string; status: string; created_by: string; updated_by: string };
type SubscriptionRow = { status: string; tier_id: string; started_at: Date; current_period_end: Date | null; cancelled_at: Date | null; created_by: string; updated_by: string };
const tier = async (id: string) =>
  (await stack.admin<TierRow[]>`select name, description, price_minor, currency, billing_period, status, created_by, updated_by from patient_tiers where id = ${id}`)[0];
const subscription = async (id: string) =>
  (await stack.admin<SubscriptionRow[]>`
    select status, tier_id, started_at, current_period_end, cancelled_at, created_by, updated_by from patient_subscriptions where id = ${id}`)[0];
const auditActions = async (entityId: string) =>
  (await stack.admin<{ action: string }[]>`select action from audit_log where entity_id = ${entityId} and outcome = 'success' order by id`).map((row) => row.action);
const w = () => randomUUID();
const refused = (code: string) => ({ ok: false, details: { code } });

describe('the tier catalogue', () => {
  it('an owner offers a tier, edits it, archives it and offers it again; every step is audited', async () => {
    const owner = await as('owner@alpha.test');
    const id = randomUUID();
    expect(await owner.push((m) => m.tier.create({ writeId: w(), id, name: 'Abonament lunar', description: 'Două ședințe pe săptămână', priceMinor: 30000, billingPeriod: 'month' } as never))).toEqual({ ok: true });
    expect(await tier(id)).toEqual({
      name: 'Abonament lunar', description: 'Două ședințe pe săptămână', price_minor: 30000, currency: 'RON', billing_period: 'month',
      status: 'active', created_by: ids.owner, updated_by: ids.owner,
    });
    expect(await owner.push((m) => m.tier.update({ writeId: w(), id, name: 'Abonament', priceMinor: 32050, currency: 'eur' } as never))).toEqual({ ok: true });
    expect(await tier(id)).toMatchObject({ name: 'Abonament', price_minor: 32050, currency: 'EUR' });
    expect(await owner.push((m) => m.tier.setStatus({ writeId: w(), id, status: 'archived' } as never))).toEqual({ ok: true });
    expect(await owner.push((m) => m.tier.setStatus({ writeId: w(), id, status: 'archived' } as never))).toMatchObject(refused('INVALID_TRANSITION'));
    expect(await owner.push((m) => m.tier.setStatus({ writeId: w(), id, status: 'active' } as never))).toEqual({ ok: true });
    expect((await tier(id))?.status).toBe('active');
    expect(await auditActions(id)).toEqual(['patient_tier.created', 'patient_tier.updated', 'patient_tier.status_changed', 'patient_tier.status_changed']);
  });

  it('refuses a negative or fractional price, a currency that is not a code, and an unknown period', async () => {
    const owner = await as('owner@alpha.test');
    const bad = [
      { priceMinor: -1, billingPeriod: 'month' },
      { priceMinor: 10.5, billingPeriod: 'month' },
      { priceMinor: 100, currency: 'euro', billingPeriod: 'month' },
      { priceMinor: 100, billingPeriod: 'weekly' },
    ];
    for (const fields of bad) {
      const id = randomUUID();
      expect(await owner.push((m) => m.tier.create({ writeId: w(), id, name: `Bad ${id}`, ...fields } as never)), JSON.stringify(fields)).toMatchObject(refused('INVALID_INPUT'));
      expect(await tier(id)).toBeUndefined();
    }
  });

  it('keeps offered names distinct, whatever their case; an archived tier\'s name may be offered again', async () => {
    const owner = await as('owner@alpha.test');
    expect(await owner.push((m) => m.tier.create({ writeId: w(), id: randomUUID(), name: ' RECUPERARE ', priceMinor: 1, billingPeriod: 'once' } as never)))
      .toMatchObject({ ok: false, details: { code: 'TIER_NAME_TAKEN', field: 'name' } });
    const old = randomUUID();
    expect(await owner.push((m) => m.tier.create({ writeId: w(), id: old, name: 'Pachet vară', priceMinor: 1000, billingPeriod: 'once' } as never))).toEqual({ ok: true });
    expect(await owner.push((m) => m.tier.setStatus({ writeId: w(), id: old, status: 'archived' } as never))).toEqual({ ok: true });
    expect(await owner.push((m) => m.tier.create({ writeId: w(), id: randomUUID(), name: 'Pachet vară', priceMinor: 1200, billingPeriod: 'once' } as never))).toEqual({ ok: true });
    // ...and then the archived one cannot come back under the same name.
    expect(await owner.push((m) => m.tier.setStatus({ writeId: w(), id: old, status: 'active' } as never))).toMatchObject(refused('TIER_NAME_TAKEN'));
  });

  it('fixes a tier\'s price terms once a patient subscribed; its name stays editable', async () => {
    const owner = await as('owner@alpha.test');
    expect(await owner.push((m) => m.tier.update({ writeId: w(), id: ids.alphaTier, priceMinor: 1 } as never))).toMatchObject(refused('TIER_IN_USE'));
    expect(await owner.push((m) => m.tier.update({ writeId: w(), id: ids.alphaTier, billingPeriod: 'year' } as never))).toMatchObject(refused('TIER_IN_USE'));
    expect(await owner.push((m) => m.tier.update({ writeId: w(), id: ids.alphaTier, description: 'Kinetoterapie' } as never))).toEqual({ ok: true });
    expect(await tier(ids.alphaTier)).toMatchObject({ price_minor: 25000, billing_period: 'month', description: 'Kinetoterapie' });
    // Raw SQL as the owner meets the database's own guard.
    await expect(asPrincipal(stack.api, owner.session.context, (tx) => tx`update patient_tiers set price_minor = 1, updated_by = ${ids.owner} where id = ${ids.alphaTier}`))
      .rejects.toThrow(/price terms are fixed/);
  });

  it('lets the billing role manage tiers, and refuses an admin and a receptionist, who lack billing.manage', async () => {
    const billing = await as('billing@alpha.test');
    const id = randomUUID();
    expect(await billing.push((m) => m.tier.create({ writeId: w(), id, name: 'Billing made', priceMinor: 500, billingPeriod: 'once' } as never))).toEqual({ ok: true });
    for (const email of ['admin@alpha.test', 'desk@alpha.test']) {
      const member = await as(email);
      const other = randomUUID();
      expect(await member.push((m) => m.tier.create({ writeId: w(), id: other, name: `By ${email}`, priceMinor: 1, billingPeriod: 'once' } as never)), email).toMatchObject(refused('FORBIDDEN'));
      expect(await member.push((m) => m.tier.update({ writeId: w(), id, name: 'Hijacked' } as never)), email).toMatchObject(refused('FORBIDDEN'));
      expect(await member.push((m) => m.tier.setStatus({ writeId: w(), id, status: 'archived' } as never)), email).toMatchObject(refused('FORBIDDEN'));
      expect(await tier(other)).toBeUndefined();
      // Nor by raw SQL as the runtime role: the restrictive policy asks for billing.manage.
      await expect(asPrincipal(stack.api, member.session.context, (tx) => tx`
        insert into patient_tiers (id, organization_id, name, price_minor, billing_period, created_by, updated_by)
        values (${other}, ${ids.alpha}, 'Raw', 1, 'once', ${member.session.context.principalId}, ${member.session.context.principalId})`)).rejects.toThrow(/row-level security/);
      expect(await asPrincipal(stack.api, member.session.context, (tx) => tx`
        update patient_tiers set name = 'Raw' , updated_by = ${member.session.context.principalId} where id = ${id} returning id`)).toEqual([]);
    }
    expect(await tier(id)).toMatchObject({ name: 'Billing made', status: 'active' });
  });

  it('answers NOT_FOUND to another clinic for a tier, exactly as for one that does not exist', async () => {
    const betaOwner = await as('owner@beta.test');
    const answers = [];
    for (const id of [ids.alphaTier, randomUUID()]) {
      answers.push(await betaOwner.push((m) => m.tier.update({ writeId: w(), id, name: 'Taken over' } as never)));
      answers.push(await betaOwner.push((m) => m.tier.setStatus({ writeId: w(), id, status: 'archived' } as never)));
    }
    for (const answer of answers) expect(answer).toMatchObject(refused('NOT_FOUND'));
    expect(await tier(ids.alphaTier)).toMatchObject({ name: 'Recuperare', status: 'active' });
    // Raw SQL by Beta's owner touches nothing of Alpha's.
    expect(await asPrincipal(stack.api, betaOwner.session.context, (tx) => tx`
      update patient_tiers set name = 'Raw', updated_by = ${ids.betaOwner} where id = ${ids.alphaTier} returning id`)).toEqual([]);
  });
});

describe('subscriptions', () => {
  it('an owner subscribes a patient; the database stamps the start and the end of the first period', async () => {
    const owner = await as('owner@alpha.test');
    const id = randomUUID();
    const before = Date.now();
    expect(await owner.push((m) => m.tier.subscribe({ writeId: w(), id, patientId: ids.anaAlpha, tierId: ids.alphaTier } as never))).toEqual({ ok: true });
    const row = await subscription(id);
    expect(row).toMatchObject({ status: 'active', tier_id: ids.alphaTier, cancelled_at: null, created_by: ids.owner, updated_by: ids.owner });
    expect(row?.started_at.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    // A month on (a monthly tier), whatever the month's length.
    const days = ((row?.current_period_end?.getTime() ?? 0) - (row?.started_at.getTime() ?? 0)) / 86_400_000;
    expect(days).toBeGreaterThan(27.9);
    expect(days).toBeLessThan(31.1);
    expect(await auditActions(id)).toEqual(['patient_subscription.created']);
  });

  it('holds a patient to one live subscription per clinic: a second is refused until the first ends', async () => {
    const owner = await as('owner@alpha.test');
    const second = randomUUID();
    expect(await owner.push((m) => m.tier.subscribe({ writeId: w(), id: second, patientId: ids.ionAlpha, tierId: ids.alphaTier, status: 'trialing' } as never)))
      .toMatchObject(refused('SUBSCRIPTION_EXISTS'));
    expect(await subscription(second)).toBeUndefined();
    // Raw SQL meets the unique index.
    await expect(asPrincipal(stack.api, owner.session.context, (tx) => tx`
      insert into patient_subscriptions (id, organization_id, patient_id, tier_id, status, created_by, updated_by)
      values (${second}, ${ids.alpha}, ${ids.ionAlpha}, ${ids.alphaTier}, 'active', ${ids.owner}, ${ids.owner})`)).rejects.toThrow(/patient_subscriptions_one_live_key/);
    expect(await owner.push((m) => m.tier.setSubscriptionStatus({ writeId: w(), id: ids.ionSubscription, status: 'cancelled' } as never))).toEqual({ ok: true });
    expect((await subscription(ids.ionSubscription))?.cancelled_at).toBeInstanceOf(Date);
    expect(await owner.push((m) => m.tier.subscribe({ writeId: w(), id: second, patientId: ids.ionAlpha, tierId: ids.alphaTier, status: 'trialing' } as never))).toEqual({ ok: true });
    expect(await subscription(second)).toMatchObject({ status: 'trialing', cancelled_at: null });
  });

  it('moves a subscription only along its lifecycle; cancelled and expired are final', async () => {
    const owner = await as('owner@alpha.test');
    const id = randomUUID();
    expect(await owner.push((m) => m.tier.subscribe({ writeId: w(), id, patientId: ids.unclaimedAlpha, tierId: ids.alphaTier, status: 'trialing' } as never))).toEqual({ ok: true });
    expect(await owner.push((m) => m.tier.setSubscriptionStatus({ writeId: w(), id, status: 'past_due' } as never))).toMatchObject(refused('INVALID_TRANSITION'));
    for (const status of ['active', 'past_due', 'active', 'expired']) {
      expect(await owner.push((m) => m.tier.setSubscriptionStatus({ writeId: w(), id, status } as never)), status).toEqual({ ok: true });
      expect((await subscription(id))?.status).toBe(status);
    }
    expect((await subscription(id))?.cancelled_at).toBeNull();
    for (const status of ['active', 'cancelled', 'expired']) {
      expect(await owner.push((m) => m.tier.setSubscriptionStatus({ writeId: w(), id, status } as never)), status).toMatchObject(refused('INVALID_TRANSITION'));
    }
    // The database keeps the lifecycle whoever writes, and a subscription starts live.
    await expect(asPrincipal(stack.api, owner.session.context, (tx) => tx`update patient_subscriptions set status = 'active', updated_by = ${ids.owner} where id = ${id}`))
      .rejects.toThrow(/cannot go from expired to active/);
    await expect(asPrincipal(stack.api, owner.session.context, (tx) => tx`
      insert into patient_subscriptions (id, organization_id, patient_id, tier_id, status, created_by, updated_by)
      values (${randomUUID()}, ${ids.alpha}, ${ids.unclaimedAlpha}, ${ids.alphaTier}, 'past_due', ${ids.owner}, ${ids.owner})`)).rejects.toThrow(/starts trialing or active/);
    expect(await auditActions(id)).toEqual(['patient_subscription.created', ...Array<string>(4).fill('patient_subscription.status_changed')]);
  });

  it('takes no new subscription on an archived tier; existing ones run on', async () => {
    const owner = await as('owner@alpha.test');
    const tierId = randomUUID();
    const running = randomUUID();
    expect(await owner.push((m) => m.tier.create({ writeId: w(), id: tierId, name: 'Closing down', priceMinor: 100, billingPeriod: 'year' } as never))).toEqual({ ok: true });
    const cashier = await as('cashier@alpha.test');
    expect(await cashier.push((m) => m.tier.subscribe({ writeId: w(), id: running, patientId: ids.unclaimedAlpha, tierId } as never))).toEqual({ ok: true });
    expect(await owner.push((m) => m.tier.setStatus({ writeId: w(), id: tierId, status: 'archived' } as never))).toEqual({ ok: true });
    expect((await subscription(running))?.status).toBe('active');
    expect(await owner.push((m) => m.tier.setSubscriptionStatus({ writeId: w(), id: running, status: 'cancelled' } as never))).toEqual({ ok: true });
    const next = randomUUID();
    expect(await owner.push((m) => m.tier.subscribe({ writeId: w(), id: next, patientId: ids.unclaimedAlpha, tierId } as never)))
      .toMatchObject({ ok: false, details: { code: 'TIER_ARCHIVED', field: 'tierId' } });
    expect(await subscription(next)).toBeUndefined();
  });

  it('never mixes clinics: another clinic\'s tier, another clinic\'s patient, a deleted patient all answer NOT_FOUND', async () => {
    const owner = await as('owner@alpha.test');
    const betaOwner = await as('owner@beta.test');
    const attempts: [Actor, Record<string, string>][] = [
      [owner, { patientId: ids.unclaimedAlpha, tierId: ids.betaTier }],
      [owner, { patientId: ids.anaBeta, tierId: ids.alphaTier }],
      [owner, { patientId: ids.deletedAlpha, tierId: ids.alphaTier }],
      [betaOwner, { patientId: ids.unclaimedAlpha, tierId: ids.betaTier }],
      [betaOwner, { patientId: ids.anaBeta, tierId: ids.alphaTier }],
    ];
    for (const [actor, args] of attempts) {
      const id = randomUUID();
      expect(await actor.push((m) => m.tier.subscribe({ writeId: w(), id, ...args } as never)), JSON.stringify(args)).toMatchObject(refused('NOT_FOUND'));
      expect(await subscription(id)).toBeUndefined();
    }
    // Raw SQL naming Beta's tier for an Alpha patient, or Beta's patient for an Alpha tier: refused by
    // the database, as Alpha's owner and even as the superuser, whom no policy binds.
    for (const [patientId, tierId] of [[ids.unclaimedAlpha, ids.betaTier], [ids.anaBeta, ids.alphaTier]] as const) {
      const insert = (tx: Sql | Parameters<Parameters<typeof asPrincipal>[2]>[0]) => tx`
        insert into patient_subscriptions (id, organization_id, patient_id, tier_id, status, created_by, updated_by)
        values (${randomUUID()}, ${ids.alpha}, ${patientId}, ${tierId}, 'active', ${ids.owner}, ${ids.owner})`;
      await expect(asPrincipal(stack.api, owner.session.context, insert)).rejects.toThrow(/only an active tier|patient_subscriptions_patient_fkey/);
      await expect(insert(stack.admin)).rejects.toThrow(/only an active tier|patient_subscriptions_patient_fkey/);
    }
    // Beta's owner cannot end Alpha's subscription either.
    expect(await betaOwner.push((m) => m.tier.setSubscriptionStatus({ writeId: w(), id: ids.ionSubscription, status: 'expired' } as never))).toMatchObject(refused('NOT_FOUND'));
  });

  it('a receptionist, an admin and a patient cannot subscribe anyone or change a subscription', async () => {
    const ana = await as('ana@patient.test');
    expect(ana.session.context.organizationId).toBeNull();
    for (const email of ['desk@alpha.test', 'admin@alpha.test', 'ana@patient.test']) {
      const actor = await as(email);
      const id = randomUUID();
      expect(await actor.push((m) => m.tier.subscribe({ writeId: w(), id, patientId: ids.anaAlpha, tierId: ids.alphaTier } as never)), email).toMatchObject(refused('FORBIDDEN'));
      expect(await actor.push((m) => m.tier.setSubscriptionStatus({ writeId: w(), id: ids.ionSubscription, status: 'active' } as never)), email).toMatchObject(refused('FORBIDDEN'));
      expect(await subscription(id)).toBeUndefined();
    }
    // Ana by raw SQL, on her own record in either clinic: she sees her subscriptions but writes none.
    for (const [organizationId, patientId, tierId] of [[ids.alpha, ids.anaAlpha, ids.alphaTier], [ids.beta, ids.anaBeta, ids.betaTier]] as const) {
      await expect(asPrincipal(stack.api, ana.session.context, (tx) => tx`
        insert into patient_subscriptions (id, organization_id, patient_id, tier_id, status, created_by, updated_by)
        values (${randomUUID()}, ${organizationId}, ${patientId}, ${tierId}, 'active', ${ids.ana}, ${ids.ana})`)).rejects.toThrow(/row-level security/);
    }
    const own = await asPrincipal(stack.api, ana.session.context, (tx) => tx<{ id: string }[]>`
      update patient_subscriptions set status = 'cancelled', updated_by = ${ids.ana} where patient_id = ${ids.anaBeta} returning id`);
    expect(own).toEqual([]);
    expect(await stack.admin`select status from patient_subscriptions where patient_id = ${ids.anaBeta}`).toEqual([{ status: 'trialing' }]);
  });
});

describe('what each person syncs', () => {
  const complete = { type: 'complete' } as const;

  it('a patient sees their own subscriptions in every clinic and those clinics\' tiers, never another patient\'s', async () => {
    const { zero } = await as('ion@patient.test');
    const mine = await zero.run(queries.me.subscriptions(), complete);
    expect(new Set(mine.map((row) => row.patientId))).toEqual(new Set([ids.ionAlpha]));
    expect(mine.every((row) => row.tier?.organizationId === ids.alpha && row.organization?.name === 'Alpha')).toBe(true);
    // Every other query answers nothing about Alpha's other patients, whatever the arguments.
    expect(await zero.run(queries.clinic.patientSubscriptions(ids.anaAlpha), complete)).toEqual([]);
    expect(await zero.run(queries.clinic.patientSubscriptions(ids.ionAlpha), complete)).toEqual([]);
    expect(await zero.run(queries.clinic.patientTiers(), complete)).toEqual([]);
    // The tiers of the clinic he is a patient of, and no other clinic's.
    const tiers = await zero.run(queries.me.patientTiers(), complete);
    expect(tiers.map((row) => row.name)).toContain('Recuperare');
    expect(tiers.every((row) => row.organizationId === ids.alpha)).toBe(true);

    const { zero: ana } = await as('ana@patient.test');
    const hers = await ana.run(queries.me.subscriptions(), complete);
    expect(new Set(hers.map((row) => row.organization?.name))).toEqual(new Set(['Alpha', 'Beta']));
    expect(hers.every((row) => row.patientId === ids.anaAlpha || row.patientId === ids.anaBeta)).toBe(true);
  });

  it('staff with billing or patient rights see their clinic\'s subscriptions; staff without, and other clinics, see none', async () => {
    const { zero: desk } = await as('desk@alpha.test');
    const ion = await desk.run(queries.clinic.patientSubscriptions(ids.ionAlpha), complete);
    expect(ion.length).toBeGreaterThan(0);
    expect(ion.every((row) => row.tier?.name === 'Recuperare')).toBe(true);
    // A receptionist is no patient: "my subscriptions" is empty for them.
    expect(await desk.run(queries.me.subscriptions(), complete)).toEqual([]);

    const { zero: billing } = await as('billing@alpha.test');
    expect((await billing.run(queries.clinic.patientTiers(), complete)).map((row) => row.organizationId)).not.toContain(ids.beta);
    expect((await billing.run(queries.clinic.patientSubscriptions(ids.ionAlpha), complete)).length).toBeGreaterThan(0);

    // Staff of the same clinic without billing or patient rights see neither.
    const { zero: staff } = await as('staff@alpha.test');
    expect(await staff.run(queries.clinic.patientSubscriptions(ids.ionAlpha), complete)).toEqual([]);
    expect(await staff.run(queries.clinic.patientTiers(), complete)).toEqual([]);

    const { zero: betaOwner } = await as('owner@beta.test');
    expect(await betaOwner.run(queries.clinic.patientSubscriptions(ids.ionAlpha), complete)).toEqual([]);
    expect((await betaOwner.run(queries.clinic.patientTiers(), complete)).map((row) => row.name)).toEqual(['Beta plan']);
  });
});
