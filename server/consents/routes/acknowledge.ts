import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import { authenticatePerson } from '../../files/people-only.ts';
import { acknowledge } from '../acknowledge.ts';
import type { ConsentDeps, ConsentsRouter } from '../deps.ts';

export const ZAcknowledgeBody = z.discriminatedUnion('purpose', [
  z.object({ purpose: z.literal('platform_terms'), organizationId: z.null().default(null), version: z.number().int().min(1) }),
  z.object({ purpose: z.literal('privacy_notice'), organizationId: z.uuid(), version: z.number().int().min(1) }),
]);
export type TAcknowledgeBody = z.infer<typeof ZAcknowledgeBody>;

/** POST /api/v1/me/consents/acknowledgements — accepts the current terms, or a clinic's current notice, again. */
export function acknowledgeRoute(router: ConsentsRouter, deps: ConsentDeps): void {
  router.post('/me/consents/acknowledgements', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const body = parseInput(ZAcknowledgeBody, ctx.request.body);
    ctx.body = { acknowledgement: await acknowledge(deps.sql, auth, ctx.state.request, body) };
  });
}
