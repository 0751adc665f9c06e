import { z } from 'zod';
import { restJson } from '../sync/rest-api.ts';
import { ZAcknowledgement, ZChoice, ZLocalized, ZTrailEntry } from '../portal/consents-api.ts';

/** The Clinic's calls for a patient's consents and the clinic's privacy notice (server/consents/, server/privacy-notices/). */

const ZPatientConsents = z.object({
  patientId: z.string(),
  acknowledgement: ZAcknowledgement,
  choices: z.array(ZChoice),
  trail: z.array(ZTrailEntry),
  skipped: z.array(z.object({ id: z.string(), purpose: z.string(), reason: z.string(), at: z.string() })),
});
export type PatientConsents = z.infer<typeof ZPatientConsents>;

export async function readPatientConsents(token: string, patientId: string): Promise<PatientConsents> {
  return ZPatientConsents.parse(await restJson(`/api/v1/patients/${encodeURIComponent(patientId)}/consents`, { token }));
}

export async function requestReminder(token: string, patientId: string, kind: 'appointment' | 'exercise'): Promise<void> {
  await restJson(`/api/v1/patients/${encodeURIComponent(patientId)}/reminders`, { token, body: { kind } });
}

export const ZNoticeSection = z.object({ key: z.string(), optional: z.boolean(), title: ZLocalized, body: ZLocalized });
export type NoticeSection = z.infer<typeof ZNoticeSection>;
export const ZTemplate = z.object({ id: z.string(), version: z.number(), sections: z.array(ZNoticeSection), placeholders: z.array(z.string()), publishedAt: z.string() });
export type NoticeTemplate = z.infer<typeof ZTemplate>;

const ZNoticeVersion = z.object({
  version: z.number(),
  templateVersion: z.number(),
  values: z.record(z.string(), z.string()),
  sections: z.array(z.string()),
  material: z.boolean(),
  publishedAt: z.string(),
  text: ZLocalized,
});
export type NoticeVersion = z.infer<typeof ZNoticeVersion>;

const ZNoticeState = z.object({
  template: ZTemplate.nullable(),
  current: ZNoticeVersion.nullable(),
  history: z.array(z.object({ version: z.number(), templateVersion: z.number(), material: z.boolean(), publishedAt: z.string() })),
  organizationName: z.string(),
});
export type NoticeState = z.infer<typeof ZNoticeState>;

export type NoticeDraft = { values: Record<string, string>; sections: string[] };

export async function readClinicNotice(token: string): Promise<NoticeState> {
  return ZNoticeState.parse(await restJson('/api/v1/privacy-notice', { token }));
}

export async function previewClinicNotice(token: string, draft: NoticeDraft): Promise<{ text: { en: string; ro: string }; missingValues: string[] }> {
  return z.object({ preview: z.object({ text: ZLocalized, missingValues: z.array(z.string()) }) })
    .parse(await restJson('/api/v1/privacy-notice/preview', { token, body: draft })).preview;
}

export async function publishClinicNotice(token: string, draft: NoticeDraft & { material: boolean }): Promise<NoticeVersion> {
  return z.object({ notice: ZNoticeVersion }).parse(await restJson('/api/v1/privacy-notice', { token, body: draft })).notice;
}
