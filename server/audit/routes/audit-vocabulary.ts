import type Router from '@koa/router';
import { AUDIT_ACTION_NAMES, AUDIT_ENTITY_TYPES, AUDIT_OUTCOMES } from '../../audit.ts';
import { authenticateHuman } from '../../invitations/human.ts';
import type { AppState } from '../../request-context.ts';
import { requireAuditReader } from '../audit-entries.ts';
import type { AuditRouteDeps } from '../router.ts';

/**
 * GET /api/v1/audit/vocabulary — the closed vocabulary the viewer's filters offer: every action,
 * entity type and outcome an entry can carry. Served, so the apps never copy the server's list.
 */
export function auditVocabularyRoute(router: Router<AppState>, deps: AuditRouteDeps): void {
  router.get('/audit/vocabulary', async (ctx) => {
    const auth = await authenticateHuman(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    requireAuditReader(auth);
    ctx.body = { actions: [...AUDIT_ACTION_NAMES].sort(), entityTypes: [...AUDIT_ENTITY_TYPES].sort(), outcomes: AUDIT_OUTCOMES };
  });
}
