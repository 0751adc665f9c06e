import Router from '@koa/router';
import type { AppState } from '../request-context.ts';
import type { NoticeDeps } from './deps.ts';
import { previewClinicNoticeRoute, publishClinicNoticeRoute, readClinicNoticeRoute } from './routes/clinic-notice.ts';
import { listTemplatesRoute, listTermsRoute, previewTemplateRoute, publishTemplateRoute, publishTermsRoute } from './routes/platform-documents.ts';

/**
 * Privacy notices and terms (docs/adr/0021-privacy-notices.md): a clinic's own notice under
 * /api/v1/privacy-notice, the platform's template and terms under /api/platform. People only.
 */
export function privacyNoticeRoutes(deps: NoticeDeps): Router<AppState>[] {
  const clinic = new Router<AppState>({ prefix: '/api/v1' });
  for (const route of [readClinicNoticeRoute, previewClinicNoticeRoute, publishClinicNoticeRoute]) route(clinic, deps);
  const platform = new Router<AppState>({ prefix: '/api/platform' });
  // /preview before anything that could take it for an id.
  for (const route of [previewTemplateRoute, listTemplatesRoute, publishTemplateRoute, listTermsRoute, publishTermsRoute]) route(platform, deps);
  return [clinic, platform];
}
