import { z } from 'zod';
import { restBlob, restJson } from './rest-api.ts';

/**
 * The Portal's and the Clinic's calls for data-subject requests (server/data-requests/, ADR 0022).
 * Answers are parsed, so a changed server fails loudly here.
 */

export const DATA_REQUEST_KINDS = ['export', 'erasure'] as const;
export type DataRequestKind = (typeof DATA_REQUEST_KINDS)[number];
export const DATA_REQUEST_STATUSES = ['requested', 'fulfilled', 'declined'] as const;

const ZBase = z.object({
  id: z.string(),
  organizationId: z.string(),
  kind: z.enum(DATA_REQUEST_KINDS),
  status: z.enum(DATA_REQUEST_STATUSES),
  reason: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
});

const ZMine = ZBase.extend({ organizationName: z.string(), exportAvailableUntil: z.string().nullable() });
export type MyDataRequest = z.infer<typeof ZMine>;

const ZQueued = ZBase.extend({ patientId: z.string().nullable(), patientName: z.string().nullable(), decidedBy: z.string().nullable(), canDecide: z.boolean() });
export type QueuedDataRequest = z.infer<typeof ZQueued>;

const ZMineList = z.object({ dataRequests: z.array(ZMine) });

export async function listMyDataRequests(token: string): Promise<MyDataRequest[]> {
  return ZMineList.parse(await restJson('/api/v1/me/data-requests', { token })).dataRequests;
}

/** Asks every clinic that holds a record of the person (or the one named); answers all their requests. */
export async function askForDataRequest(token: string, kind: DataRequestKind, organizationId?: string): Promise<MyDataRequest[]> {
  return ZMineList.parse(await restJson('/api/v1/me/data-requests', { token, body: organizationId === undefined ? { kind } : { kind, organizationId } })).dataRequests;
}

export type ExportFormat = 'json' | 'html';

/** The export as a file; every download is audited by the clinic. */
export async function downloadDataExport(token: string, id: string, format: ExportFormat, locale: 'ro' | 'en'): Promise<Blob> {
  return restBlob(`/api/v1/me/data-requests/${encodeURIComponent(id)}/export`, {
    token,
    body: { format, locale },
    accept: format === 'json' ? 'application/json' : 'text/html',
  });
}

export async function listClinicDataRequests(token: string): Promise<QueuedDataRequest[]> {
  return z.object({ dataRequests: z.array(ZQueued) }).parse(await restJson('/api/v1/data-requests', { token })).dataRequests;
}

export type DataRequestDecision = { outcome: 'fulfilled' } | { outcome: 'declined'; reason: string };

export async function decideDataRequest(token: string, id: string, decision: DataRequestDecision): Promise<void> {
  await restJson(`/api/v1/data-requests/${encodeURIComponent(id)}/decision`, { token, body: decision });
}
