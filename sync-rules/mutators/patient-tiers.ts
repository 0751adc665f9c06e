import type { Transaction } from '@rocicorp/zero';
import { z } from 'zod';
import type { AuthContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { zql } from '../schema.ts';
import { ZId, ZWriteId } from '../validation.ts';
import { defineWrite } from './define-write.ts';
import { requireOrganization, requirePermission } from './guards.ts';

/**
 * A clinic's catalogue of patient tiers and its patients' subscriptions to them (minimal: nothing is
 * charged or enforced yet). Every write needs billing.manage; migration 0021 holds raw SQL to the
 * same rule, keeps a subscription in its tier's and its patient's clinic, and owns the lifecycle.
 */

export const TIER_STATUSES = ['active', 'archived'] as const;
export type TierStatus = (typeof TIER_STATUSES)[number];
export const BILLING_PERIODS = ['month', 'year', 'once'] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];
export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'cancelled', 'expired'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
/** What a new subscription may start as. */
export const STARTING_STATUSES = ['trialing', 'active'] as const satisfies readonly SubscriptionStatus[];

/** A subscription that still counts: a patient holds at most one of these per clinic. */
export const isLiveSubscription = (status: SubscriptionStatus): boolean => status !== 'cancelled' && status !== 'expired';

const NEXT_STATUSES: Record<SubscriptionStatus, readonly SubscriptionStatus[]> = {
  trialing: ['active', 'cancelled', 'expired'],
  active: ['past_due', 'cancelled', 'expired'],
  past_due: ['active', 'cancelled', 'expired'],
  cancelled: [],
  expired: [],
};

/** The transitions of migration 0021's patient_subscription_transition_allowed, for the UI and the mutator. */
export const nextSubscriptionStatuses = (from: SubscriptionStatus): readonly SubscriptionStatus[] => NEXT_STATUSES[from];

export const ZTierName = z.string().trim().min(1).max(120);
const ZTierDescription = z.string().trim().max(1000);
/** Minor units (bani, cents); a ceiling well inside the integer column. */
export const ZPriceMinor = z.number().int().min(0).max(100_000_000);
/** An ISO 4217 code; what the clinic sells in, RON by default. */
export const ZCurrency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code');

export const ZCreateTier = z.object({
  writeId: ZWriteId,
  id: ZId,
  name: ZTierName,
  description: ZTierDescription.default(''),
  priceMinor: ZPriceMinor,
  currency: ZCurrency.default('RON'),
  billingPeriod: z.enum(BILLING_PERIODS),
});
export const ZUpdateTier = z.object({
  writeId: ZWriteId,
  id: ZId,
  name: ZTierName.optional(),
  description: ZTierDescription.optional(),
  priceMinor: ZPriceMinor.optional(),
  currency: ZCurrency.optional(),
  billingPeriod: z.enum(BILLING_PERIODS).optional(),
});
export const ZSetTierStatus = z.object({ writeId: ZWriteId, id: ZId, status: z.enum(TIER_STATUSES) });
export const ZSubscribePatient = z.object({
  writeId: ZWriteId,
  /** The new subscription's id. */
  id: ZId,
  patientId: ZId,
  tierId: ZId,
  status: z.enum(STARTING_STATUSES).default('active'),
});
export const ZSetSubscriptionStatus = z.object({ writeId: ZWriteId, id: ZId, status: z.enum(SUBSCRIPTION_STATUSES) });

/** How people read a tier's name: "Premium" and " premium " are the same tier. */
export const tierNameKey = (name: string) => name.trim().toLocaleLowerCase();

function requireBillingManager(ctx: AuthContext): string {
  requirePermission(ctx, 'billing.manage');
  return requireOrganization(ctx);
}

async function loadTier(tx: Transaction, organizationId: string, id: string, field = 'id') {
  const tier = await tx.run(zql.patient_tiers.where('id', id).one());
  // Security: the same answer for "missing" and "another clinic's", so ids cannot be probed.
  if (tier === undefined || tier.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'tier not found', { field });
  return tier;
}

async function loadSubscription(tx: Transaction, organizationId: string, id: string) {
  const subscription = await tx.run(zql.patient_subscriptions.where('id', id).one());
  if (subscription === undefined || subscription.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'subscription not found');
  return subscription;
}

/** Offered tiers have distinct names; an archived tier's name may be offered again. */
async function assertNameFree(tx: Transaction, organizationId: string, name: string, id: string) {
  const tiers = await tx.run(zql.patient_tiers.where('organizationId', organizationId).where('status', 'active'));
  if (tiers.some((tier) => tier.id !== id && tierNameKey(tier.name) === tierNameKey(name))) {
    throw new DomainError('TIER_NAME_TAKEN', `a tier named ${name} is offered`, { field: 'name' });
  }
}

/** The end of the first period, as the database computes it (it stamps the real one). */
function periodEnd(startedAt: number, period: BillingPeriod): number | null {
  if (period === 'once') return null;
  const end = new Date(startedAt);
  if (period === 'month') end.setUTCMonth(end.getUTCMonth() + 1);
  else end.setUTCFullYear(end.getUTCFullYear() + 1);
  return end.getTime();
}

export const patientTierMutators = {
  create: defineWrite(ZCreateTier, async ({ tx, args, ctx }) => {
    const organizationId = requireBillingManager(ctx);
    await assertNameFree(tx, organizationId, args.name, args.id);
    const now = Date.now();
    await tx.mutate.patient_tiers.insert({
      id: args.id,
      organizationId,
      name: args.name,
      description: args.description,
      priceMinor: args.priceMinor,
      currency: args.currency,
      billingPeriod: args.billingPeriod,
      status: 'active',
      createdBy: ctx.principalId,
      updatedBy: ctx.principalId,
      createdAt: now,
      updatedAt: now,
    });
  }),

  // Price terms are what subscribers agreed to: fixed once anyone subscribed (the database agrees).
  update: defineWrite(ZUpdateTier, async ({ tx, args, ctx }) => {
    const organizationId = requireBillingManager(ctx);
    const tier = await loadTier(tx, organizationId, args.id);
    const termsChange = (args.priceMinor !== undefined && args.priceMinor !== tier.priceMinor)
      || (args.currency !== undefined && args.currency !== tier.currency)
      || (args.billingPeriod !== undefined && args.billingPeriod !== tier.billingPeriod);
    if (termsChange && (await tx.run(zql.patient_subscriptions.where('tierId', args.id).one())) !== undefined) {
      throw new DomainError('TIER_IN_USE', 'patients subscribe to this tier; its price terms are fixed', { field: 'priceMinor' });
    }
    if (args.name !== undefined && tier.status === 'active') await assertNameFree(tx, organizationId, args.name, args.id);
    const { writeId: _writeId, ...changes } = args;
    await tx.mutate.patient_tiers.update({ ...changes, updatedBy: ctx.principalId, updatedAt: Date.now() });
  }),

  // Archiving stops new subscriptions; existing ones run on. Offering it again needs a free name.
  setStatus: defineWrite(ZSetTierStatus, async ({ tx, args, ctx }) => {
    const organizationId = requireBillingManager(ctx);
    const tier = await loadTier(tx, organizationId, args.id);
    if (tier.status === args.status) {
      // A replay from the offline outbox of a change this device already shows.
      if (tx.location === 'client') return;
      throw new DomainError('INVALID_TRANSITION', `tier is already ${tier.status}`, { from: tier.status, to: args.status });
    }
    if (args.status === 'active') await assertNameFree(tx, organizationId, tier.name, tier.id);
    await tx.mutate.patient_tiers.update({ id: args.id, status: args.status, updatedBy: ctx.principalId, updatedAt: Date.now() });
  }),

  subscribe: defineWrite(ZSubscribePatient, async ({ tx, args, ctx }) => {
    const organizationId = requireBillingManager(ctx);
    const patient = await tx.run(zql.patients.where('id', args.patientId).one());
    if (patient === undefined || patient.organizationId !== organizationId || patient.deletedAt !== null) {
      throw new DomainError('NOT_FOUND', 'patient not found', { field: 'patientId' });
    }
    const tier = await loadTier(tx, organizationId, args.tierId, 'tierId');
    if (tier.status !== 'active') throw new DomainError('TIER_ARCHIVED', 'this tier is archived and takes no new subscriptions', { field: 'tierId' });
    const held = await tx.run(zql.patient_subscriptions.where('organizationId', organizationId).where('patientId', args.patientId));
    if (held.some((subscription) => subscription.id !== args.id && isLiveSubscription(subscription.status))) {
      throw new DomainError('SUBSCRIPTION_EXISTS', 'the patient already has a subscription here; end it first');
    }
    const now = Date.now();
    await tx.mutate.patient_subscriptions.insert({
      id: args.id,
      organizationId,
      patientId: args.patientId,
      tierId: args.tierId,
      status: args.status,
      startedAt: now,
      currentPeriodEnd: periodEnd(now, tier.billingPeriod),
      cancelledAt: null,
      createdBy: ctx.principalId,
      updatedBy: ctx.principalId,
      createdAt: now,
      updatedAt: now,
    });
  }),

  setSubscriptionStatus: defineWrite(ZSetSubscriptionStatus, async ({ tx, args, ctx }) => {
    const organizationId = requireBillingManager(ctx);
    const subscription = await loadSubscription(tx, organizationId, args.id);
    if (subscription.status === args.status && tx.location === 'client') return;
    if (!nextSubscriptionStatuses(subscription.status).includes(args.status)) {
      throw new DomainError('INVALID_TRANSITION', `a ${subscription.status} subscription cannot become ${args.status}`, { from: subscription.status, to: args.status });
    }
    const now = Date.now();
    await tx.mutate.patient_subscriptions.update({
      id: args.id,
      status: args.status,
      cancelledAt: args.status === 'cancelled' ? now : null,
      updatedBy: ctx.principalId,
      updatedAt: now,
    });
  }),
};
