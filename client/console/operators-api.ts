import { z } from 'zod';
import { ZPlatformRole, type PlatformRole } from '../../sync-rules/context.ts';
import { restJson } from '../sync/rest-api.ts';

/**
 * The Console's calls to /api/platform/operators (server/platform/). Not synced through Zero: the
 * list holds operators' addresses, which no clinic may see, and it changes rarely.
 */

const ZOperator = z.object({
  principalId: z.string(),
  name: z.string(),
  email: z.string(),
  role: ZPlatformRole,
  secondFactor: z.boolean(),
});
export type Operator = z.infer<typeof ZOperator>;

const ZOneOperator = z.object({ operator: ZOperator });

const path = (principalId?: string) => (principalId === undefined ? '/api/platform/operators' : `/api/platform/operators/${encodeURIComponent(principalId)}`);

export async function listOperators(token: string): Promise<Operator[]> {
  return z.object({ operators: z.array(ZOperator) }).parse(await restJson(path(), { token })).operators;
}

export async function grantOperator(token: string, email: string, role: PlatformRole): Promise<Operator> {
  return ZOneOperator.parse(await restJson(path(), { method: 'POST', token, body: { email, role } })).operator;
}

export async function changeOperatorRole(token: string, principalId: string, role: PlatformRole): Promise<Operator> {
  return ZOneOperator.parse(await restJson(path(principalId), { method: 'PATCH', token, body: { role } })).operator;
}

export async function revokeOperator(token: string, principalId: string): Promise<void> {
  await restJson(path(principalId), { method: 'DELETE', token });
}
