import type { AuditOutcome, AuditQuery } from '../sync/audit-api.ts';

/** The viewer's filter form as typed: ids and names as chosen, days as `YYYY-MM-DD` (the person's days). */
export type AuditFilterForm = {
  actor: string;
  entityType: string;
  entityId: string;
  action: string;
  outcome: '' | AuditOutcome;
  fromDay: string;
  toDay: string;
};

export const NO_FILTERS: AuditFilterForm = { actor: '', entityType: '', entityId: '', action: '', outcome: '', fromDay: '', toDay: '' };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight starting a day in the browser's time zone, as an ISO moment; `days` later when asked. */
function startOfDay(day: string, days = 0): string | undefined {
  const match = DAY.exec(day);
  if (match === null) return undefined;
  const [, year, month, date] = match.map(Number) as [number, number, number, number];
  return new Date(year, month - 1, date + days).toISOString();
}

/**
 * The query for a filter form: a day range covers whole days where the person is, the last one
 * included (`to` is the midnight after it).
 */
export function auditQuery(form: AuditFilterForm): AuditQuery {
  const query: AuditQuery = {};
  if (form.actor !== '') query.actor = form.actor;
  if (form.entityType !== '') query.entityType = form.entityType;
  if (form.entityId.trim() !== '') query.entityId = form.entityId.trim();
  if (form.action !== '') query.action = form.action;
  if (form.outcome !== '') query.outcome = form.outcome;
  const from = startOfDay(form.fromDay);
  const to = startOfDay(form.toDay, 1);
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;
  return query;
}

/** True when the range ends before it starts: nothing could match, so the form says so instead. */
export function rangeIsBackwards(form: AuditFilterForm): boolean {
  return form.fromDay !== '' && form.toDay !== '' && form.toDay < form.fromDay;
}
