import { z } from 'zod';
import { restJson } from './rest-api.ts';

/**
 * The Clinic's calls to /api/v1/patients (server/patients/): a deleted record is hidden from sync,
 * so its trash and its restore go through the API. Answers are parsed, so a changed server fails
 * loudly here.
 */

const ZDeletedPatient = z.object({
  id: z.string(),
  // Null when the clinic could not see the person's own profile.
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  deletedAt: z.string(),
  deletedBy: z.string(),
  restorableUntil: z.string(),
});
export type DeletedPatient = z.infer<typeof ZDeletedPatient>;

export async function listDeletedPatients(token: string): Promise<DeletedPatient[]> {
  return z.object({ patients: z.array(ZDeletedPatient) }).parse(await restJson('/api/v1/patients/deleted', { token })).patients;
}

export async function restorePatient(token: string, id: string): Promise<{ id: string }> {
  const answer = z.object({ patient: z.object({ id: z.string() }) }).parse(
    await restJson(`/api/v1/patients/${encodeURIComponent(id)}/restore`, { method: 'POST', token }),
  );
  return answer.patient;
}
