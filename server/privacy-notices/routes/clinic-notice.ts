import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import { authenticatePerson } from '../../files/people-only.ts';
import { previewClinicNotice, publishClinicNotice, readClinicNotice } from '../clinic-notices.ts';
import type { NoticeDeps, NoticesRouter } from '../deps.ts';
import { ZPlaceholderValues } from '../notice-template.ts';

export const ZNoticeDraftBody = z.object({
  values: ZPlaceholderValues,
  sections: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/)).max(50).refine((keys) => new Set(keys).size === keys.length, 'sections must not repeat'),
});
export const ZPublishNoticeBody = ZNoticeDraftBody.extend({ material: z.boolean() });
export type TPublishNoticeBody = z.infer<typeof ZPublishNoticeBody>;

/** GET /api/v1/privacy-notice — the clinic's notice: the template to fill, the version in force, the history. */
export function readClinicNoticeRoute(router: NoticesRouter, deps: NoticeDeps): void {
  router.get('/privacy-notice', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await readClinicNotice(deps.sql, auth);
  });
}

/** POST /api/v1/privacy-notice/preview — renders a draft, and names what is missing; writes nothing. */
export function previewClinicNoticeRoute(router: NoticesRouter, deps: NoticeDeps): void {
  router.post('/privacy-notice/preview', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const body = parseInput(ZNoticeDraftBody, ctx.request.body);
    ctx.body = { preview: await previewClinicNotice(deps.sql, auth, body) };
  });
}

/** POST /api/v1/privacy-notice — publishes a new, immutable version (members.manage). */
export function publishClinicNoticeRoute(router: NoticesRouter, deps: NoticeDeps): void {
  router.post('/privacy-notice', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const body = parseInput(ZPublishNoticeBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = { notice: await publishClinicNotice(deps.sql, auth, ctx.state.request, body) };
  });
}
