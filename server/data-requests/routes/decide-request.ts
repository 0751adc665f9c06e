import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import { authenticatePerson } from '../../files/people-only.ts';
import { decideRequest } from '../clinic-requests.ts';
import type { DataRequestDeps, DataRequestsRouter } from '../deps.ts';
import { ZDataRequestParams } from './request-id.ts';

// Security: no control characters but line breaks, so a reason shown in the Portal carries no escapes.
const ZReason = z.string().trim().min(1).max(2000).regex(/^(?:[^\p{Cc}]|\n)*$/u, 'must not contain control characters');

export const ZDecideRequest = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('fulfilled') }).strict(),
  z.object({ outcome: z.literal('declined'), reason: ZReason }).strict(),
]);
export type TDecideRequest = z.infer<typeof ZDecideRequest>;

/** POST /api/v1/data-requests/:id/decision — the clinic fulfils, or declines with a reason, an open request. */
export function decideRequestRoute(router: DataRequestsRouter, deps: DataRequestDeps): void {
  router.post('/data-requests/:id/decision', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { id } = parseInput(ZDataRequestParams, ctx.params);
    const decision = parseInput(ZDecideRequest, ctx.request.body);
    ctx.body = { dataRequest: await decideRequest(deps, auth, ctx.state.request, id, decision) };
  });
}
