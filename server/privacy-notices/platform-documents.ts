import type { Sql, TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { can } from '../../sync-rules/permissions.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import { placeholdersOf, ZNoticeSections, type TNoticeSections } from './notice-template.ts';

/**
 * The platform's documents (ADR 0021): the terms of use and the privacy notice template. Every
 * signed-in person reads them (a patient reads the terms, a clinic fills the template); superadmins
 * (platform.manage) publish new versions, which are immutable from then on.
 */

export type TemplateView = { id: string; version: number; sections: TNoticeSections; placeholders: string[]; publishedAt: string };
export type TermsView = { id: string; version: number; body: { en: string; ro: string }; material: boolean; publishedAt: string };

type TemplateRow = { id: string; version: number; sections: unknown; created_at: Date };

function templateView(row: TemplateRow): TemplateView {
  // Written through ZNoticeSections only; a row that no longer parses is a bug, not a client's fault.
  const sections = ZNoticeSections.parse(row.sections);
  return { id: row.id, version: row.version, sections, placeholders: placeholdersOf(sections), publishedAt: row.created_at.toISOString() };
}

export async function latestTemplate(tx: TransactionSql): Promise<TemplateView | null> {
  const [row] = await tx<TemplateRow[]>`select id, version, sections, created_at from privacy_notice_templates order by version desc limit 1`;
  return row === undefined ? null : templateView(row);
}

function requirePlatformManager(auth: AuthContext): void {
  if (!can(auth, 'platform.manage')) throw new DomainError('FORBIDDEN', 'missing permission platform.manage');
}

/** Every template version, newest first. */
export async function listTemplates(sql: Sql, auth: AuthContext): Promise<TemplateView[]> {
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const rows = await tx<TemplateRow[]>`select id, version, sections, created_at from privacy_notice_templates order by version desc`;
    return rows.map(templateView);
  });
}

export async function publishTemplate(sql: Sql, auth: AuthContext, request: RequestContext, sections: TNoticeSections): Promise<TemplateView> {
  requirePlatformManager(auth);
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const [row] = await tx<TemplateRow[]>`insert into privacy_notice_templates (sections, created_by)
      values (${tx.json(sections)}, ${auth.principalId}) returning id, version, sections, created_at`;
    if (row === undefined) throw new DomainError('INTERNAL', 'the template was not written');
    await appendAudit(tx, {
      ...requestAuditFields(request), actorPrincipalId: auth.principalId, organizationId: null, action: 'privacy_notice_template.published',
      entityType: 'privacy_notice_template', entityId: row.id, writeId: null, changes: { version: row.version, sections: sections.length },
    });
    return templateView(row);
  });
}

type TermsRow = { id: string; version: number; body: { en: string; ro: string }; material: boolean; created_at: Date };
const termsView = (row: TermsRow): TermsView => ({ id: row.id, version: row.version, body: row.body, material: row.material, publishedAt: row.created_at.toISOString() });

export async function listTerms(sql: Sql, auth: AuthContext): Promise<TermsView[]> {
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    return (await tx<TermsRow[]>`select id, version, body, material, created_at from platform_terms_versions order by version desc`).map(termsView);
  });
}

export async function publishTerms(sql: Sql, auth: AuthContext, request: RequestContext, body: { en: string; ro: string }, material: boolean): Promise<TermsView> {
  requirePlatformManager(auth);
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const [row] = await tx<TermsRow[]>`insert into platform_terms_versions (body, material, created_by)
      values (${tx.json(body)}, ${material}, ${auth.principalId}) returning id, version, body, material, created_at`;
    if (row === undefined) throw new DomainError('INTERNAL', 'the terms were not written');
    await appendAudit(tx, {
      ...requestAuditFields(request), actorPrincipalId: auth.principalId, organizationId: null, action: 'platform_terms.published',
      entityType: 'platform_terms', entityId: row.id, writeId: null, changes: { version: row.version, material: row.material },
    });
    return termsView(row);
  });
}
