import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import { authenticatePerson } from '../../files/people-only.ts';
import type { ConsentDeps, ConsentsRouter } from '../deps.ts';
import { recordChoice } from '../record-choice.ts';

export const ZRecordChoiceBody = z.object({
  organizationId: z.uuid(),
  purpose: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'must be a purpose code'),
  granted: z.boolean(),
});
export type TRecordChoiceBody = z.infer<typeof ZRecordChoiceBody>;

/** POST /api/v1/me/consents/choices — turns an optional purpose on or off for one clinic, at once. */
export function recordChoiceRoute(router: ConsentsRouter, deps: ConsentDeps): void {
  router.post('/me/consents/choices', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const body = parseInput(ZRecordChoiceBody, ctx.request.body);
    ctx.body = { choice: await recordChoice(deps.sql, auth, ctx.state.request, body) };
  });
}
