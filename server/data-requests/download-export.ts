import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import { exportContext } from './clinic-requests.ts';
import type { ExportDocument } from './collect-export.ts';
import type { DataRequestDeps } from './deps.ts';
import { renderExportHtml, type ExportLocale } from './export-html.ts';

export type ExportFormat = 'json' | 'html';

export type ExportFile = { fileName: string; contentType: string; body: string };

/**
 * The person's export from one clinic, as JSON or as a readable page. Only the person who asked, and
 * only while it is available (RLS, 0022): anyone else's request, an expired export and a missing one
 * all answer NOT_FOUND. Every download is in the clinic's audit log, written before the bytes leave.
 */
export async function downloadExport(
  deps: DataRequestDeps,
  auth: AuthContext,
  request: RequestContext,
  id: string,
  format: ExportFormat,
  locale: ExportLocale,
): Promise<ExportFile> {
  return deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    const [row] = await tx<{ organization_id: string; content: string }[]>`
      select e.organization_id, e.content from data_subject_exports e join data_subject_requests r on r.id = e.id
      where e.id = ${id} and r.requested_by = ${auth.principalId} and r.kind = 'export' and r.status = 'fulfilled'`;
    if (row === undefined) throw new DomainError('NOT_FOUND', 'no export to download');
    const json = await deps.encryption.decryptField(row.organization_id, exportContext(id), row.content);
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId: row.organization_id,
      action: 'data_request.export_downloaded',
      entityType: 'data_request',
      entityId: id,
      writeId: null,
      changes: { format },
    });
    const day = new Date().toISOString().slice(0, 10);
    if (format === 'json') return { fileName: `restartix-export-${day}.json`, contentType: 'application/json; charset=utf-8', body: json };
    return { fileName: `restartix-export-${day}.html`, contentType: 'text/html; charset=utf-8', body: renderExportHtml(JSON.parse(json) as ExportDocument, locale) };
  });
}
