import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { TestStack } from '../infra/test/test-stack.ts';

/**
 * Pushes location.update mutations straight to the core API's mutate endpoint, as zero-cache does:
 * the whole server-side path (HTTP, API key, token, context, RLS, zod, receipt, audit) without a
 * browser. Throws on any refusal, so a benchmark never times failures.
 */
export async function mutateClient(stack: TestStack, email: string, locationIds: readonly string[]) {
  const session = await stack.login(email);
  const clientGroupID = randomUUID();
  const clientID = randomUUID();
  const url = `${stack.origin}/api/zero/mutate?schema=${stack.config.ZERO_APP_ID}_0&appID=${stack.config.ZERO_APP_ID}`;
  const headers = { 'content-type': 'application/json', 'x-api-key': stack.config.ZERO_API_KEY, authorization: `Bearer ${session.token}` };
  let mutationId = 0;
  const push = async (name: string) => {
    mutationId += 1;
    const body = {
      clientGroupID,
      pushVersion: 1,
      timestamp: Date.now(),
      requestID: randomUUID(),
      mutations: [{
        type: 'custom', id: mutationId, clientID, name: 'location.update', timestamp: Date.now(),
        args: [{ writeId: randomUUID(), id: locationIds[mutationId % locationIds.length], name }],
      }],
    };
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    const result = (await response.json()) as { mutations?: { result: { error?: unknown } }[] };
    const error = result.mutations?.[0]?.result.error;
    if (!response.ok || error !== undefined) throw new Error(`mutation ${String(mutationId)} failed: ${JSON.stringify(result)}`);
  };
  return {
    push,
    /** Milliseconds for `count` pushes, one after the other. */
    async time(count: number, label: string): Promise<number> {
      const start = performance.now();
      for (let i = 0; i < count; i++) await push(`${label} ${String(i)}`);
      return performance.now() - start;
    },
  };
}
