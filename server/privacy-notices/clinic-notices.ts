import type { Sql, TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { requireClinicPermission } from '../consents/patient-consents.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import { draftProblems, renderNotice, type NoticeLocale, type TPlaceholderValues } from './notice-template.ts';
import { latestTemplate, type TemplateView } from './platform-documents.ts';

/**
 * A clinic's privacy notice (ADR 0021). Its members read it; those who manage its people
 * (members.manage) fill the latest template's placeholders, pick its optional sections, preview, and
 * publish a version, which is immutable: a change is a new version, `material` when patients must
 * acknowledge it again.
 */

export type ClinicNoticeVersion = {
  version: number;
  templateVersion: number;
  values: TPlaceholderValues;
  sections: string[];
  material: boolean;
  publishedAt: string;
  text: Record<NoticeLocale, string>;
};

export type ClinicNoticeState = { template: TemplateView | null; current: ClinicNoticeVersion | null; history: Omit<ClinicNoticeVersion, 'text' | 'values' | 'sections'>[]; organizationName: string };

export type NoticeDraftInput = { values: TPlaceholderValues; sections: string[] };

type NoticeRow = { version: number; template_version: number; placeholder_values: TPlaceholderValues; chosen_sections: string[]; material: boolean; created_at: Date; rendered: Record<NoticeLocale, string> };

const versionView = (row: NoticeRow): ClinicNoticeVersion => ({
  version: row.version, templateVersion: row.template_version, values: row.placeholder_values, sections: row.chosen_sections,
  material: row.material, publishedAt: row.created_at.toISOString(), text: row.rendered,
});

async function notices(tx: TransactionSql, organizationId: string): Promise<NoticeRow[]> {
  return tx<NoticeRow[]>`
    select n.version, t.version as template_version, n.placeholder_values, n.chosen_sections, n.material, n.created_at, n.rendered
    from privacy_notices n join privacy_notice_templates t on t.id = n.template_id
    where n.organization_id = ${organizationId} order by n.version desc`;
}

/** Clinic → Privacy notice: the template to fill, the notice in force, and every earlier version. */
export async function readClinicNotice(sql: Sql, auth: AuthContext): Promise<ClinicNoticeState> {
  const organizationId = requireClinicPermission(auth, 'members.read');
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const rows = await notices(tx, organizationId);
    const [organization] = await tx<{ name: string }[]>`select name from organizations where id = ${organizationId}`;
    const current = rows[0] === undefined ? null : versionView(rows[0]);
    return {
      template: await latestTemplate(tx),
      current,
      history: rows.map((row) => ({ version: row.version, templateVersion: row.template_version, material: row.material, publishedAt: row.created_at.toISOString() })),
      organizationName: organization?.name ?? '',
    };
  });
}

function checkedDraft(template: TemplateView | null, draft: NoticeDraftInput) {
  if (template === null) throw new DomainError('INVALID_TRANSITION', 'the platform has no notice template yet');
  const problems = draftProblems({ sections: template.sections, picked: draft.sections, values: draft.values });
  return { template, problems };
}

/** What the notice would say, and what is still missing; writes nothing. */
export async function previewClinicNotice(sql: Sql, auth: AuthContext, draft: NoticeDraftInput): Promise<{ text: Record<NoticeLocale, string>; missingValues: string[]; unknownSections: string[] }> {
  requireClinicPermission(auth, 'members.manage');
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const { template, problems } = checkedDraft(await latestTemplate(tx), draft);
    return { text: renderNotice({ sections: template.sections, picked: draft.sections, values: draft.values }), ...problems };
  });
}

/** Publishes a new version from the latest template; refused with the fields to fix while any placeholder is empty. */
export async function publishClinicNotice(sql: Sql, auth: AuthContext, request: RequestContext, draft: NoticeDraftInput & { material: boolean }): Promise<ClinicNoticeVersion> {
  const organizationId = requireClinicPermission(auth, 'members.manage');
  return sql.begin(async (tx) => {
    await actAs(tx, auth);
    const { template, problems } = checkedDraft(await latestTemplate(tx), draft);
    if (problems.missingValues.length > 0 || problems.unknownSections.length > 0) {
      throw new DomainError('INVALID_INPUT', 'the notice is not complete', {
        issues: [
          ...problems.missingValues.map((name) => ({ path: ['values', name], message: 'required' })),
          ...problems.unknownSections.map((key) => ({ path: ['sections', key], message: 'not an optional section of the template' })),
        ],
      });
    }
    // Only the values the chosen sections use are kept: the record says exactly what was published.
    const used = new Set(template.placeholders);
    const values = Object.fromEntries(Object.entries(draft.values).filter(([name]) => used.has(name)).map(([name, value]) => [name, value.trim()]));
    const rendered = renderNotice({ sections: template.sections, picked: draft.sections, values });
    const [row] = await tx<{ id: string; version: number }[]>`
      insert into privacy_notices (organization_id, template_id, placeholder_values, chosen_sections, rendered, material, created_by)
      values (${organizationId}, ${template.id}, ${tx.json(values)}, ${tx.json(draft.sections)}, ${tx.json(rendered)}, ${draft.material}, ${auth.principalId})
      returning id, version`;
    if (row === undefined) throw new DomainError('INTERNAL', 'the notice was not written');
    const [published] = (await notices(tx, organizationId)).filter((candidate) => candidate.version === row.version);
    if (published === undefined) throw new DomainError('INTERNAL', 'the notice vanished');
    await appendAudit(tx, {
      ...requestAuditFields(request), actorPrincipalId: auth.principalId, organizationId, action: 'privacy_notice.published',
      entityType: 'privacy_notice', entityId: row.id, writeId: null,
      changes: { version: row.version, templateVersion: template.version, material: published.material, sections: draft.sections },
    });
    return versionView(published);
  });
}
