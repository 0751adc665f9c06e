import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import { authenticatePerson } from '../../files/people-only.ts';
import type { ConsentDeps, ConsentsRouter } from '../deps.ts';
import { readPatientConsents } from '../patient-consents.ts';
import { requestReminder } from '../request-reminder.ts';
import { ZReminderKind } from '../reminder-events.ts';

export const ZPatientParams = z.object({ patientId: z.uuid() });
export const ZReminderBody = z.object({ kind: ZReminderKind });
export type TReminderBody = z.infer<typeof ZReminderBody>;

/** GET /api/v1/patients/:patientId/consents — Clinic: one patient's consents (patients.read). */
export function patientConsentsRoute(router: ConsentsRouter, deps: ConsentDeps): void {
  router.get('/patients/:patientId/consents', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { patientId } = parseInput(ZPatientParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await readPatientConsents(deps.sql, auth, patientId);
  });
}

/** POST /api/v1/patients/:patientId/reminders — queues a reminder, mailed only if the patient consents when it is sent (patients.manage). */
export function requestReminderRoute(router: ConsentsRouter, deps: ConsentDeps): void {
  router.post('/patients/:patientId/reminders', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const { patientId } = parseInput(ZPatientParams, ctx.params);
    const { kind } = parseInput(ZReminderBody, ctx.request.body);
    ctx.status = 202;
    ctx.body = await requestReminder(deps.sql, auth, ctx.state.request, patientId, kind);
  });
}
