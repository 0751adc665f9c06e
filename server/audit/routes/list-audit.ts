import type Router from '@koa/router';
import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import { AUDIT_ACTION_NAMES, AUDIT_OUTCOMES } from '../../audit.ts';
import { authenticateHuman } from '../../invitations/human.ts';
import type { AppState } from '../../request-context.ts';
import { listAuditEntries } from '../audit-entries.ts';
import type { AuditRouteDeps } from '../router.ts';

const ZMoment = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const ZListAuditQuery = z.object({
  actor: z.uuid().optional(),
  entityType: z.string().regex(/^[a-z_]{1,64}$/).optional(),
  entityId: z.string().min(1).max(200).optional(),
  action: z.enum(AUDIT_ACTION_NAMES as [string, ...string[]]).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: ZMoment.optional(),
  to: ZMoment.optional(),
  before: z.string().regex(/^[1-9]\d{0,17}$/).transform((value) => BigInt(value)).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TListAuditQuery = z.input<typeof ZListAuditQuery>;

/**
 * GET /api/v1/audit — the caller's clinic's audit log, newest first, with filters (actor, entity,
 * action, outcome, date range) and keyset pages (`before` = the previous page's `nextCursor`).
 * People holding audit.read only; never synced.
 */
export function listAuditRoute(router: Router<AppState>, deps: AuditRouteDeps): void {
  router.get('/audit', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const filters = parseInput(ZListAuditQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listAuditEntries(deps.sql, auth, filters);
  });
}
