import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type { BillingPeriod, SubscriptionStatus, TierStatus } from '../sync-rules/mutators/patient-tiers.ts';

/**
 * Patient tiers and subscriptions as fixtures (db/migrations/0021_patient_tiers.sql), written like
 * the other factories with a connection that bypasses RLS. The database still stamps the moments
 * and refuses a subscription to an archived tier, so a subscription that ended is created live and
 * then moved along its lifecycle.
 */

export type PatientTierSpec = {
  name: string;
  priceMinor: number;
  billingPeriod: BillingPeriod;
  createdBy: string;
  currency?: string;
  description?: string;
  status?: TierStatus;
};

export async function createPatientTier(sql: Sql, organizationId: string, spec: PatientTierSpec): Promise<string> {
  const id = randomUUID();
  await sql`insert into patient_tiers (id, organization_id, name, description, price_minor, currency, billing_period, status, created_by, updated_by)
    values (${id}, ${organizationId}, ${spec.name}, ${spec.description ?? ''}, ${spec.priceMinor}, ${spec.currency ?? 'RON'},
            ${spec.billingPeriod}, ${spec.status ?? 'active'}, ${spec.createdBy}, ${spec.createdBy})`;
  return id;
}

export type PatientSubscriptionSpec = { patientId: string; tierId: string; createdBy: string; status?: SubscriptionStatus };

export async function createPatientSubscription(sql: Sql, organizationId: string, spec: PatientSubscriptionSpec): Promise<string> {
  const id = randomUUID();
  const status = spec.status ?? 'active';
  const starting = status === 'trialing' ? 'trialing' : 'active';
  await sql`insert into patient_subscriptions (id, organization_id, patient_id, tier_id, status, created_by, updated_by)
    values (${id}, ${organizationId}, ${spec.patientId}, ${spec.tierId}, ${starting}, ${spec.createdBy}, ${spec.createdBy})`;
  if (status !== starting) await sql`update patient_subscriptions set status = ${status} where id = ${id}`;
  return id;
}
