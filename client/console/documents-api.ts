import { z } from 'zod';
import { restJson } from '../sync/rest-api.ts';
import { ZTemplate, type NoticeSection, type NoticeTemplate } from '../clinic/consents-api.ts';
import { ZLocalized, type Localized } from '../portal/consents-api.ts';

/** The Console's calls for the platform's documents: the notice template and the terms (server/privacy-notices/). */

const ZTerms = z.object({ id: z.string(), version: z.number(), body: ZLocalized, material: z.boolean(), publishedAt: z.string() });
export type TermsVersion = z.infer<typeof ZTerms>;

export async function listTemplates(token: string): Promise<NoticeTemplate[]> {
  return z.object({ templates: z.array(ZTemplate) }).parse(await restJson('/api/platform/privacy-notice-templates', { token })).templates;
}

export async function previewTemplate(token: string, sections: NoticeSection[]): Promise<Localized> {
  return z.object({ preview: z.object({ text: ZLocalized }) }).parse(await restJson('/api/platform/privacy-notice-templates/preview', { token, body: { sections } })).preview.text;
}

export async function publishTemplate(token: string, sections: NoticeSection[]): Promise<NoticeTemplate> {
  return z.object({ template: ZTemplate }).parse(await restJson('/api/platform/privacy-notice-templates', { token, body: { sections } })).template;
}

export async function listTerms(token: string): Promise<TermsVersion[]> {
  return z.object({ terms: z.array(ZTerms) }).parse(await restJson('/api/platform/terms', { token })).terms;
}

export async function publishTerms(token: string, body: Localized, material: boolean): Promise<TermsVersion> {
  return z.object({ terms: ZTerms }).parse(await restJson('/api/platform/terms', { token, body: { body, material } })).terms;
}
