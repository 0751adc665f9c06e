import type { Sql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { can } from '../../sync-rules/permissions.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';

/**
 * Jobs that used up their attempts (the view job_dead_letters, db/migrations/0014_outbox_and_jobs.sql):
 * what an operator sees of them, which is ids, the handler, the kind of event and the error's name,
 * never an event's contents.
 */
export type DeadLetterView = {
  jobId: string;
  task: string;
  eventId: string | null;
  eventName: string | null;
  eventVersion: number | null;
  handler: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: string;
  failedAt: string;
};

type DeadLetterRow = {
  job_id: string;
  task: string;
  event_id: string | null;
  event_name: string | null;
  event_version: number | null;
  handler: string | null;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  created_at: Date;
  failed_at: Date;
};

const view = (row: DeadLetterRow): DeadLetterView => ({
  jobId: String(row.job_id),
  task: row.task,
  eventId: row.event_id,
  eventName: row.event_name,
  eventVersion: row.event_version,
  handler: row.handler,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  lastError: row.last_error,
  createdAt: row.created_at.toISOString(),
  failedAt: row.failed_at.toISOString(),
});

/** Superadmins only (platform.manage): checked here first, and again by the database functions. */
function requireManager(auth: AuthContext): void {
  if (!can(auth, 'platform.manage')) throw new DomainError('FORBIDDEN', 'missing permission platform.manage');
}

/** Every dead letter, newest failure first. */
export async function listDeadLetters(sql: Sql, auth: AuthContext): Promise<DeadLetterView[]> {
  requireManager(auth);
  const rows = await sql.begin(async (tx) => {
    await actAs(tx, auth);
    return tx<DeadLetterRow[]>`select * from app_job_dead_letters()`;
  });
  return rows.map(view);
}

/**
 * Sends one dead letter back to the queue with a fresh set of attempts, to run now, and records who
 * did it. Exactly-once handling makes this safe even for a job whose effect did happen.
 */
export async function retryDeadLetter(sql: Sql, auth: AuthContext, request: RequestContext, jobId: string): Promise<void> {
  requireManager(auth);
  await sql.begin(async (tx) => {
    await actAs(tx, auth);
    const [dead] = await tx<DeadLetterRow[]>`select * from app_job_dead_letters() where job_id = ${jobId}`;
    const [retried] = await tx<{ retried: boolean }[]>`select app_retry_dead_letter(${jobId}) as retried`;
    if (dead === undefined || retried?.retried !== true) throw new DomainError('NOT_FOUND', 'no dead letter with this id');
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId: null,
      action: 'job.retried',
      entityType: 'job',
      entityId: jobId,
      writeId: null,
      changes: { task: dead.task, handler: dead.handler, eventId: dead.event_id, event: dead.event_name, attempts: dead.attempts },
    });
  });
}
