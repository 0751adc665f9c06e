import { z } from 'zod';
import { restJson } from '../sync/rest-api.ts';

/**
 * The Portal's calls to the consent ledger (server/consents/): the person's own consents, the
 * onboarding consent block, toggles and acknowledgements. Answers are parsed, so a changed server
 * fails loudly here. The Clinic and the Console read the same shapes.
 */

export const ZLocalized = z.object({ en: z.string(), ro: z.string() });
export type Localized = z.infer<typeof ZLocalized>;

export const ZPurpose = z.object({
  code: z.string(),
  scope: z.enum(['platform', 'organization']),
  requirement: z.enum(['required', 'optional']),
  legalBasis: z.string(),
  document: z.enum(['platform_terms', 'privacy_notice']).nullable(),
  title: ZLocalized,
  description: ZLocalized,
});
export type Purpose = z.infer<typeof ZPurpose>;

export const ZAcknowledgement = z.object({
  purpose: z.enum(['platform_terms', 'privacy_notice']),
  currentVersion: z.number().nullable(),
  requiredVersion: z.number().nullable(),
  acknowledgedVersion: z.number().nullable(),
  outstanding: z.boolean(),
});
export type Acknowledgement = z.infer<typeof ZAcknowledgement>;

export const ZChoice = z.object({ purpose: z.string(), granted: z.boolean(), recordedAt: z.string().nullable(), documentVersion: z.number().nullable() });
export type Choice = z.infer<typeof ZChoice>;

export const ZTrailEntry = z.object({
  id: z.string(),
  organizationId: z.string().nullable(),
  purpose: z.string(),
  action: z.enum(['grant', 'withdraw']),
  legalBasis: z.string(),
  documentVersion: z.number().nullable(),
  recordedAt: z.string(),
  source: z.string(),
});
export type TrailEntry = z.infer<typeof ZTrailEntry>;

const ZDocument = z.object({ version: z.number(), material: z.boolean(), publishedAt: z.string(), text: ZLocalized });

const ZClinicConsents = z.object({
  organization: z.object({ id: z.string(), name: z.string() }),
  patientId: z.string(),
  profileShared: z.boolean(),
  notice: ZDocument.nullable(),
  acknowledgement: ZAcknowledgement,
  choices: z.array(ZChoice),
});
export type ClinicConsents = z.infer<typeof ZClinicConsents>;

const ZMyConsents = z.object({
  purposes: z.array(ZPurpose),
  terms: ZDocument.extend({ acknowledgement: ZAcknowledgement }).nullable(),
  clinics: z.array(ZClinicConsents),
  trail: z.array(ZTrailEntry),
});
export type MyConsents = z.infer<typeof ZMyConsents>;

const ZPending = z.object({
  terms: z.boolean(),
  clinics: z.array(z.object({ organization: z.object({ id: z.string(), name: z.string() }), onboarding: z.boolean(), notice: z.boolean() })),
});
export type PendingConsents = z.infer<typeof ZPending>;

export async function readMyConsents(token: string): Promise<MyConsents> {
  return ZMyConsents.parse(await restJson('/api/v1/me/consents', { token }));
}

export async function readPendingConsents(token: string): Promise<PendingConsents> {
  return ZPending.parse(await restJson('/api/v1/me/consents/pending', { token }));
}

export async function recordChoice(token: string, choice: { organizationId: string; purpose: string; granted: boolean }): Promise<Choice> {
  return z.object({ choice: ZChoice }).parse(await restJson('/api/v1/me/consents/choices', { token, body: choice })).choice;
}

export type AcknowledgeInput = { purpose: 'platform_terms'; version: number } | { purpose: 'privacy_notice'; organizationId: string; version: number };

export async function acknowledge(token: string, input: AcknowledgeInput): Promise<Acknowledgement> {
  return z.object({ acknowledgement: ZAcknowledgement }).parse(await restJson('/api/v1/me/consents/acknowledgements', { token, body: input })).acknowledgement;
}

export type OnboardingInput = { organizationId: string; platformTermsVersion: number | null; privacyNoticeVersion: number | null; choices: Record<string, boolean> };

export async function completeOnboarding(token: string, input: OnboardingInput): Promise<{ patientId: string; profileSharedAt: string }> {
  return z.object({ onboarding: z.object({ patientId: z.string(), profileSharedAt: z.string() }) })
    .parse(await restJson('/api/v1/me/onboarding', { token, body: input })).onboarding;
}

export async function listPurposes(token: string): Promise<Purpose[]> {
  return z.object({ purposes: z.array(ZPurpose) }).parse(await restJson('/api/v1/consent-purposes', { token })).purposes;
}
