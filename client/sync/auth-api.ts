import { z } from 'zod';
import { isErrorCode, type ErrorCode } from '../../sync-rules/errors.ts';
import { ZSignIn, type SignIn } from './session.ts';

/** A refused or failed API call; `NETWORK` when the server could not be reached at all. */
export class ApiError extends Error {
  readonly code: ErrorCode | 'NETWORK';

  constructor(code: ErrorCode | 'NETWORK', message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

const ZErrorEnvelope = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const ZDemoAccounts = z.object({
  accounts: z.array(z.object({ email: z.string(), name: z.string(), description: z.string() })),
});
export type DemoAccount = z.infer<typeof ZDemoAccounts>['accounts'][number];

async function callApi(path: string, init: RequestInit = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    throw new ApiError('NETWORK', error instanceof Error ? error.message : 'fetch failed');
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return body;
  const envelope = ZErrorEnvelope.safeParse(body);
  if (!envelope.success) throw new ApiError('INTERNAL', `HTTP ${String(response.status)}`);
  const { code, message } = envelope.data.error;
  throw new ApiError(isErrorCode(code) ? code : 'INTERNAL', message);
}

/** The demo sign-ins the development server offers. */
export async function fetchDemoAccounts(signal?: AbortSignal): Promise<DemoAccount[]> {
  const body = await callApi('/api/dev/accounts', signal === undefined ? {} : { signal });
  return ZDemoAccounts.parse(body).accounts;
}

export async function devSignIn(email: string, organizationId?: string): Promise<SignIn> {
  const body = await callApi('/api/dev/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(organizationId === undefined ? { email } : { email, organizationId }),
  });
  const parsed = ZSignIn.safeParse(body);
  if (!parsed.success) throw new ApiError('INTERNAL', 'unexpected sign-in response');
  return parsed.data;
}
