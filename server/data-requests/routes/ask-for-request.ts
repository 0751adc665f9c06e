import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import { authenticatePerson } from '../../files/people-only.ts';
import { ZDataRequestKind } from '../data-request-view.ts';
import type { DataRequestDeps, DataRequestsRouter } from '../deps.ts';
import { askForRequests } from '../my-requests.ts';

export const ZAskForRequest = z.object({
  kind: ZDataRequestKind,
  /** One of the person's clinics; absent: every clinic that holds a live record of them. */
  organizationId: z.uuid().optional(),
}).strict();
export type TAskForRequest = z.infer<typeof ZAskForRequest>;

/** POST /api/v1/me/data-requests — ask the clinic(s) for an export or an erasure; answers the person's requests. */
export function askForRequestRoute(router: DataRequestsRouter, deps: DataRequestDeps): void {
  router.post('/me/data-requests', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const ask = parseInput(ZAskForRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = { dataRequests: await askForRequests(deps, auth, ctx.state.request, ask) };
  });
}
