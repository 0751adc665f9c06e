import { z } from 'zod';
import { defineEvent } from '../events/define-event.ts';
import { ZDataRequestKind } from './data-request-view.ts';

/** A person asked a clinic for an export or an erasure. The clinic's deciders are told by mail. */
export const dataRequestRequested = defineEvent({
  name: 'data_request.requested',
  version: 1,
  payload: z.object({ dataRequestId: z.uuid(), kind: ZDataRequestKind }),
  description: 'A patient asked a clinic for an export of their data or for its erasure. Mailed to the clinic members who can decide it; the clinic decides, never the platform.',
});

/** The clinic fulfilled or declined a request. The person who asked is told by mail. */
export const dataRequestDecided = defineEvent({
  name: 'data_request.decided',
  version: 1,
  payload: z.object({ dataRequestId: z.uuid(), kind: ZDataRequestKind, outcome: z.enum(['fulfilled', 'declined']) }),
  description: "A clinic fulfilled or declined a patient's export or erasure request. Mailed to the patient, who reads the answer (and downloads an export) in the Portal.",
});
