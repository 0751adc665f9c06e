import { useQuery } from '@rocicorp/zero/react';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { isErrorCode } from '../../sync-rules/errors.ts';
import { can } from '../../sync-rules/permissions.ts';
import { queries } from '../../sync-rules/queries.ts';
import { AUDIT_OUTCOMES, listAudit, listAuditVocabulary, type AuditEntry, type AuditQuery } from '../sync/audit-api.ts';
import { useSession } from '../sync/session-provider.tsx';
import { DataTable, type DataTableColumn } from '../ui/data-table.tsx';
import { en } from '../ui/i18n/en.ts';
import { useFormat, useT, type Translate } from '../ui/i18n/i18n-provider.tsx';
import type { MessageKey } from '../ui/i18n/messages.ts';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { reasonOf, useApi, useApiQuery } from '../ui/use-api.ts';
import { fieldChanges, isRedacted } from './audit-changes.ts';
import { auditQuery, NO_FILTERS, rangeIsBackwards, type AuditFilterForm } from './audit-filters.ts';
import './audit.css';

const PAGE_SIZE = 50;

/** A catalog label when there is one (`audit.action.location.created`), else the vocabulary's own word. */
function labelOr(t: Translate, key: string, fallback: string): string {
  // These labels take no parameters, which the key's type cannot tell once it is built at run time.
  const label = t as unknown as (key: MessageKey) => string;
  return Object.hasOwn(en, key) ? label(key as MessageKey) : fallback;
}
const actionLabel = (t: Translate, action: string) => labelOr(t, `audit.action.${action}`, action);
const entityLabel = (t: Translate, entityType: string) => labelOr(t, `audit.entity.${entityType}`, entityType);

/** The clinic's audit log, for those holding audit.read. It is never synced: pages come from the API. */
export function AuditPage() {
  const t = useT();
  const session = useSession();
  const organizationId = session.context.organizationId;
  if (organizationId === null || !can(session.context, 'audit.read')) {
    return (
      <>
        <PageTitle>{t('audit.title')}</PageTitle>
        <p className="callout">{organizationId === null ? t('header.noOrganization') : t('audit.notAllowed')}</p>
      </>
    );
  }
  return <AuditLog organizationId={organizationId} />;
}

type Log = { key: string; entries: AuditEntry[]; cursor: string | null; status: 'loading' | 'ready' | 'failed'; reason: NoticeReason | null };

/** Pages of the log for one query, newest first; the next page is fetched when asked for. */
function useAuditLog(query: AuditQuery, key: string): [Log, () => void, () => void] {
  const api = useApi();
  const [log, setLog] = useState<Log>({ key, entries: [], cursor: null, status: 'loading', reason: null });
  // The query a response belongs to: one for an earlier query is dropped.
  const current = useRef({ key, query });
  const load = useCallback(
    (before: string | null) => {
      const { key: forKey, query: forQuery } = current.current;
      setLog((previous) => ({ ...previous, status: 'loading', reason: null }));
      api((token) => listAudit(token, { ...forQuery, limit: PAGE_SIZE, ...(before === null ? {} : { before }) })).then(
        (page) => {
          if (current.current.key !== forKey) return;
          setLog((previous) => ({
            key: forKey,
            entries: before === null ? page.entries : [...previous.entries, ...page.entries],
            cursor: page.nextCursor,
            status: 'ready',
            reason: null,
          }));
        },
        (error: unknown) => {
          if (current.current.key === forKey) setLog((previous) => ({ ...previous, status: 'failed', reason: reasonOf(error) }));
        },
      );
    },
    [api],
  );
  const started = useRef<string | null>(null);
  useEffect(() => {
    if (started.current === key) return;
    started.current = key;
    current.current = { key, query };
    setLog({ key, entries: [], cursor: null, status: 'loading', reason: null });
    load(null);
  }, [key, query, load]);
  const more = useCallback(() => {
    if (log.status === 'ready' && log.cursor !== null) load(log.cursor);
  }, [load, log]);
  const retry = useCallback(() => {
    load(log.entries.length === 0 ? null : log.cursor);
  }, [load, log]);
  return [log, more, retry];
}

function AuditLog({ organizationId }: { organizationId: string }) {
  const t = useT();
  const [form, setForm] = useState<AuditFilterForm>(NO_FILTERS);
  const [applied, setApplied] = useState<AuditFilterForm>(NO_FILTERS);
  const query = useMemo(() => auditQuery(applied), [applied]);
  const key = `${organizationId}:${JSON.stringify(query)}`;
  const [log, more, retry] = useAuditLog(query, key);
  const backwards = rangeIsBackwards(form);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!backwards) setApplied(form);
  };
  const clear = () => {
    setForm(NO_FILTERS);
    setApplied(NO_FILTERS);
  };

  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <p>{t('audit.intro')}</p>
      <AuditFilters form={form} onChange={setForm} onSubmit={apply} onClear={clear} backwards={backwards} />
      {log.status !== 'loading' && log.entries.length === 0 && log.status === 'ready' ? (
        <p className="empty-state" data-testid="audit-empty">{t('audit.empty')}</p>
      ) : (
        <AuditTable log={log} onMore={more} onRetry={retry} />
      )}
    </>
  );
}

function AuditFilters({ form, onChange, onSubmit, onClear, backwards }: {
  form: AuditFilterForm;
  onChange: (form: AuditFilterForm) => void;
  onSubmit: (event: FormEvent) => void;
  onClear: () => void;
  backwards: boolean;
}) {
  const t = useT();
  const [vocabulary] = useApiQuery(listAuditVocabulary, 'audit-vocabulary');
  const [memberships] = useQuery(queries.clinic.members());
  const people = useMemo(
    () => memberships.map((m) => ({ id: m.principalId, name: m.human?.name ?? m.principalId })).sort((a, b) => a.name.localeCompare(b.name)),
    [memberships],
  );
  const actions = vocabulary.status === 'ready' ? vocabulary.value.actions : [];
  const entityTypes = vocabulary.status === 'ready' ? vocabulary.value.entityTypes : [];
  const set = <K extends keyof AuditFilterForm>(field: K, value: AuditFilterForm[K]) => onChange({ ...form, [field]: value });

  return (
    <form className="audit-filters" onSubmit={onSubmit} aria-label={t('audit.filters')} data-testid="audit-filters">
      <div className="field">
        <label htmlFor="audit-actor">{t('audit.filter.actor')}</label>
        <select id="audit-actor" value={form.actor} onChange={(event) => set('actor', event.target.value)}>
          <option value="">{t('audit.filter.anyone')}</option>
          {people.map((person) => (
            <option key={person.id} value={person.id}>{person.name}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-action">{t('audit.filter.action')}</label>
        <select id="audit-action" value={form.action} onChange={(event) => set('action', event.target.value)}>
          <option value="">{t('audit.filter.anyAction')}</option>
          {actions.map((action) => (
            <option key={action} value={action}>{actionLabel(t, action)}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-entity-type">{t('audit.filter.entityType')}</label>
        <select id="audit-entity-type" value={form.entityType} onChange={(event) => set('entityType', event.target.value)}>
          <option value="">{t('audit.filter.anyEntity')}</option>
          {entityTypes.map((entityType) => (
            <option key={entityType} value={entityType}>{entityLabel(t, entityType)}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-entity-id">{t('audit.filter.entityId')}</label>
        <input id="audit-entity-id" value={form.entityId} onChange={(event) => set('entityId', event.target.value)} spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="audit-outcome">{t('audit.filter.outcome')}</label>
        <select id="audit-outcome" value={form.outcome} onChange={(event) => set('outcome', event.target.value as AuditFilterForm['outcome'])}>
          <option value="">{t('audit.filter.anyOutcome')}</option>
          {AUDIT_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>{t(`audit.outcome.${outcome}`)}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-from">{t('audit.filter.from')}</label>
        <input id="audit-from" type="date" value={form.fromDay} onChange={(event) => set('fromDay', event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="audit-to">{t('audit.filter.to')}</label>
        <input
          id="audit-to"
          type="date"
          value={form.toDay}
          onChange={(event) => set('toDay', event.target.value)}
          aria-invalid={backwards || undefined}
          aria-describedby={backwards ? 'audit-range-error' : undefined}
        />
        {backwards && <p id="audit-range-error" className="field-error">{t('audit.filter.rangeBackwards')}</p>}
      </div>
      <div className="actions audit-filter-actions">
        <button type="submit" className="primary" disabled={backwards}>{t('audit.filter.apply')}</button>
        <button type="button" onClick={onClear}>{t('audit.filter.clear')}</button>
      </div>
    </form>
  );
}

function AuditTable({ log, onMore, onRetry }: { log: Log; onMore: () => void; onRetry: () => void }) {
  const t = useT();
  const format = useFormat();
  const columns = useMemo<DataTableColumn<AuditEntry>[]>(() => [
    { id: 'when', header: t('audit.column.when'), width: 'minmax(9rem, 0.8fr)', cell: (entry) => <time dateTime={entry.occurredAt}>{format.dateTime(entry.occurredAt)}</time> },
    { id: 'who', header: t('audit.column.who'), width: 'minmax(8rem, 1fr)', cell: (entry) => <span title={entry.actor.id}>{entry.actor.name ?? t('audit.unknownActor')}</span> },
    { id: 'action', header: t('audit.column.action'), width: 'minmax(9rem, 1fr)', cell: (entry) => actionLabel(t, entry.action) },
    {
      id: 'entity',
      header: t('audit.column.entity'),
      width: 'minmax(8rem, 1fr)',
      cell: (entry) => (
        <>
          {entityLabel(t, entry.entityType)} <code className="audit-id" title={entry.entityId}>{entry.entityId.slice(0, 8)}</code>
        </>
      ),
    },
    { id: 'outcome', header: t('audit.column.outcome'), width: 'minmax(8rem, 0.9fr)', cell: (entry) => <Outcome entry={entry} /> },
    { id: 'changes', header: t('audit.column.changes'), width: 'minmax(12rem, 2fr)', cell: (entry) => <Changes entry={entry} /> },
    { id: 'source', header: t('audit.column.source'), width: 'minmax(7rem, 0.8fr)', cell: (entry) => <span title={entry.userAgent ?? undefined}>{entry.ip ?? '—'}</span> },
  ], [t, format]);

  let footer = null;
  if (log.status === 'loading') footer = <p className="muted">{t('common.loading')}</p>;
  else if (log.status === 'failed' && log.reason !== null) {
    footer = (
      <p className="callout" role="alert">
        {reasonText(t, log.reason)}{' '}
        <button type="button" className="small" onClick={onRetry}>{t('audit.retry')}</button>
      </p>
    );
  } else if (log.cursor === null && log.entries.length > 0) footer = <p className="muted">{t('audit.end', { count: log.entries.length })}</p>;

  return (
    <DataTable
      caption={t('audit.title')}
      columns={columns}
      rows={log.entries}
      rowKey={(entry) => entry.id}
      rowTestId="audit-row"
      rowAttributes={(entry) => ({ 'data-action': entry.action, 'data-outcome': entry.outcome, 'data-entity-id': entry.entityId })}
      onEndReached={onMore}
      footer={footer}
    />
  );
}

function Outcome({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const code = entry.errorCode;
  return (
    <span className={`status audit-outcome-${entry.outcome}`} title={code !== null && isErrorCode(code) ? t(`error.${code}`) : undefined}>
      {t(`audit.outcome.${entry.outcome}`)}
      {code !== null && <code className="audit-code">{code}</code>}
    </span>
  );
}

function Changes({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const changes = fieldChanges(entry);
  if (changes.length === 0) return <span className="muted">—</span>;
  const show = (value: string | null) => {
    if (value === null) return <span className="muted">—</span>;
    return isRedacted(value) ? <em className="audit-redacted">{t(`audit.redacted.${value.slice(1, -1) as 'personal' | 'health' | 'secret'}`)}</em> : value;
  };
  return (
    <ul className="audit-changes">
      {changes.map((change) => (
        <li key={change.field}>
          <span className="audit-field">{change.field}</span>{' '}
          {change.before !== null && <>{show(change.before)} → </>}
          {show(change.after)}
        </li>
      ))}
    </ul>
  );
}
