import { z } from 'zod';
import { isErrorCode } from '../../sync-rules/errors.ts';
import { ApiError } from './auth-api.ts';

/**
 * A refused call to our REST API (/api/v1), with the fields the server named when it refused the
 * input (INVALID_INPUT), so that a form can mark them.
 */
export class RestError extends ApiError {
  readonly fields: readonly string[];

  constructor(code: ApiError['code'], message: string, fields: readonly string[] = []) {
    super(code, message);
    this.name = 'RestError';
    this.fields = fields;
  }
}

const ZEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.object({ issues: z.array(z.object({ path: z.array(z.string()) })).optional() }).loose().optional(),
  }),
});

type Call = { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: object; token: string; accept?: string };

async function send(path: string, { method, body, token, accept }: Call): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: {
        accept: accept ?? 'application/json',
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new RestError('NETWORK', error instanceof Error ? error.message : 'fetch failed');
  }
  if (response.ok) return response;
  const envelope = ZEnvelope.safeParse(await response.json().catch(() => undefined));
  if (!envelope.success) throw new RestError(response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL', `HTTP ${String(response.status)}`);
  const { code, message, details } = envelope.data.error;
  const fields = (details?.issues ?? []).flatMap((issue) => (issue.path[0] === undefined ? [] : [issue.path[0]]));
  throw new RestError(isErrorCode(code) ? code : 'INTERNAL', message, fields);
}

/** One call with the person's access token; resolves with the JSON body (null when empty). */
export async function restJson(path: string, call: Call): Promise<unknown> {
  const text = await (await send(path, call)).text();
  return text === '' ? null : (JSON.parse(text) as unknown);
}

/** One call whose answer is a file (an SVG), as a Blob. */
export async function restBlob(path: string, call: Call): Promise<Blob> {
  return (await send(path, call)).blob();
}
