import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import { authenticatePerson } from '../../files/people-only.ts';
import type { NoticeDeps, NoticesRouter } from '../deps.ts';
import { renderNotice, ZNoticeSections, ZPlaceholderValues } from '../notice-template.ts';
import { listTemplates, listTerms, publishTemplate, publishTerms } from '../platform-documents.ts';

export const ZPublishTemplateBody = z.object({ sections: ZNoticeSections });
export const ZPreviewTemplateBody = z.object({ sections: ZNoticeSections, values: ZPlaceholderValues.default({}) });
const ZTermsText = z.string().trim().min(1).max(100_000);
export const ZPublishTermsBody = z.object({ body: z.object({ en: ZTermsText, ro: ZTermsText }), material: z.boolean() });
export type TPublishTermsBody = z.infer<typeof ZPublishTermsBody>;

/** GET /api/platform/privacy-notice-templates — every version, newest first. */
export function listTemplatesRoute(router: NoticesRouter, deps: NoticeDeps): void {
  router.get('/privacy-notice-templates', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.body = { templates: await listTemplates(deps.sql, auth) };
  });
}

/** POST /api/platform/privacy-notice-templates/preview — the template with every optional section, values put in where given. */
export function previewTemplateRoute(router: NoticesRouter, deps: NoticeDeps): void {
  router.post('/privacy-notice-templates/preview', async (ctx) => {
    await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { sections, values } = parseInput(ZPreviewTemplateBody, ctx.request.body);
    ctx.body = { preview: { text: renderNotice({ sections, picked: sections.map((section) => section.key), values }) } };
  });
}

/** POST /api/platform/privacy-notice-templates — publishes a new template version (platform.manage). */
export function publishTemplateRoute(router: NoticesRouter, deps: NoticeDeps): void {
  router.post('/privacy-notice-templates', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { sections } = parseInput(ZPublishTemplateBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = { template: await publishTemplate(deps.sql, auth, ctx.state.request, sections) };
  });
}

/** GET /api/platform/terms — every version of the platform terms, newest first. */
export function listTermsRoute(router: NoticesRouter, deps: NoticeDeps): void {
  router.get('/terms', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.body = { terms: await listTerms(deps.sql, auth) };
  });
}

/** POST /api/platform/terms — publishes a new terms version (platform.manage); material ones are accepted again. */
export function publishTermsRoute(router: NoticesRouter, deps: NoticeDeps): void {
  router.post('/terms', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { body, material } = parseInput(ZPublishTermsBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = { terms: await publishTerms(deps.sql, auth, ctx.state.request, body, material) };
  });
}
