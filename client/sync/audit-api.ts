import { z } from 'zod';
import { restJson } from './rest-api.ts';

/**
 * The Clinic's audit-log viewer reads GET /api/v1/audit (server/audit/): the log is never synced.
 * Answers are parsed, so a changed server fails loudly here.
 */

export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

const ZRecord = z.record(z.string(), z.unknown());

const ZAuditEntry = z.object({
  id: z.string(),
  seq: z.string(),
  occurredAt: z.string(),
  actor: z.object({ id: z.string(), name: z.string().nullable() }),
  subjectPrincipalId: z.string().nullable(),
  breakGlassSessionId: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  outcome: z.enum(AUDIT_OUTCOMES),
  errorCode: z.string().nullable(),
  requestId: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  changes: ZRecord,
  diff: z.object({ before: ZRecord.nullable(), after: ZRecord.nullable() }).nullable(),
});
export type AuditEntry = z.infer<typeof ZAuditEntry>;

const ZAuditPage = z.object({ entries: z.array(ZAuditEntry), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof ZAuditPage>;

/** The query string's filters; every one optional. `from` inclusive, `to` exclusive, ISO moments. */
export type AuditQuery = {
  actor?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
  before?: string;
  limit?: number;
};

export async function listAudit(token: string, query: AuditQuery): Promise<AuditPage> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  return ZAuditPage.parse(await restJson(`/api/v1/audit?${params.toString()}`, { token }));
}

const ZVocabulary = z.object({ actions: z.array(z.string()), entityTypes: z.array(z.string()), outcomes: z.array(z.enum(AUDIT_OUTCOMES)) });
export type AuditVocabulary = z.infer<typeof ZVocabulary>;

/** What the filters offer: every action and entity type an entry can carry. */
export async function listAuditVocabulary(token: string): Promise<AuditVocabulary> {
  return ZVocabulary.parse(await restJson('/api/v1/audit/vocabulary', { token }));
}
