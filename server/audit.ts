import type { TransactionSql } from 'postgres';
import { z } from 'zod';
import { AUDIT_ACTIONS } from '../sync-rules/mutators.ts';

/**
 * Actions of writes that are not Zero mutators: the /api/v1 management routes (server/api-keys/),
 * invitations and share-links (server/invitations/).
 */
export const API_AUDIT_ACTIONS = [
  'service_account.created', 'api_key.created', 'api_key.revoked',
  'invitation.created', 'invitation.resent', 'invitation.revoked', 'invitation.accepted', 'membership.created',
  'share_link.created', 'share_link.revoked', 'share_link.joined',
  // Written by the database itself, inside app_set_platform_role (db/migrations/0010_platform_operators.sql).
  'platform_role.granted', 'platform_role.changed', 'platform_role.revoked',
] as const;

const actions = [...Object.values(AUDIT_ACTIONS).map((entry) => entry.action), ...API_AUDIT_ACTIONS];
export const ZAuditAction = z.enum(actions as [string, ...string[]]);

export type AuditEntry = {
  requestId: string;
  actorPrincipalId: string;
  organizationId: string | null;
  action: z.infer<typeof ZAuditAction>;
  entityType: string;
  entityId: string;
  writeId: string | null;
  changes: Record<string, unknown>;
};

/** Appends one audit row in the caller's transaction: the write and its record commit together. */
export async function appendAudit(tx: TransactionSql, entry: AuditEntry): Promise<void> {
  const action = ZAuditAction.parse(entry.action);
  await tx`insert into audit_log
    (request_id, actor_principal_id, organization_id, action, entity_type, entity_id, write_id, changes)
    values (${entry.requestId}, ${entry.actorPrincipalId}, ${entry.organizationId}, ${action},
            ${entry.entityType}, ${entry.entityId}, ${entry.writeId}, ${tx.json(entry.changes as never)})`;
}
