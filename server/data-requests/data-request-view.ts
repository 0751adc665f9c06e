import { z } from 'zod';

export const DATA_REQUEST_KINDS = ['export', 'erasure'] as const;
export const ZDataRequestKind = z.enum(DATA_REQUEST_KINDS);
export type DataRequestKind = z.infer<typeof ZDataRequestKind>;
export type DataRequestStatus = 'requested' | 'fulfilled' | 'declined';

export type DataRequestRow = {
  id: string;
  organization_id: string;
  patient_id: string | null;
  requested_by: string;
  kind: DataRequestKind;
  status: DataRequestStatus;
  reason: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  created_at: Date;
};

/** A request as both apps see it. */
export type DataRequestView = {
  id: string;
  organizationId: string;
  kind: DataRequestKind;
  status: DataRequestStatus;
  /** Why the clinic declined; null otherwise. */
  reason: string | null;
  requestedAt: string;
  decidedAt: string | null;
};

export const dataRequestView = (row: DataRequestRow): DataRequestView => ({
  id: row.id,
  organizationId: row.organization_id,
  kind: row.kind,
  status: row.status,
  reason: row.reason,
  requestedAt: row.created_at.toISOString(),
  decidedAt: row.decided_at === null ? null : row.decided_at.toISOString(),
});
