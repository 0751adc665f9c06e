import { Zero } from '@rocicorp/zero';
import { schema } from '../../sync-rules/schema.ts';
import type { Session } from './test-stack.ts';

/** What the server said of one push: success, or the refusal's message and details. */
export type Verdict = { ok: true } | ({ ok: false } & Record<string, unknown>);

type Mutation = Parameters<Zero['mutate']>[0];

/**
 * Zero clients whose mutators are the given ones (no-ops, as a tampered client's would be), so
 * every argument reaches the server's run of the real mutator. One client per person and clinic,
 * reused: two clients of one person in one process would share a client group.
 */
export function tamperedClients<M>(origin: string, mutators: M) {
  const clients = new Map<string, Zero>();
  const clientOf = (session: Session): Zero => {
    const key = `${session.context.principalId}|${session.context.organizationId ?? ''}`;
    const known = clients.get(key);
    if (known !== undefined) return known;
    const zero = new Zero({
      cacheURL: `${origin}/zero`,
      schema,
      mutators: mutators as never,
      userID: session.context.principalId,
      auth: session.token,
      context: session.context,
      kvStore: 'mem',
      logLevel: 'error',
    });
    clients.set(key, zero);
    return zero;
  };
  return {
    clientOf,
    async push(session: Session, call: (m: M) => unknown): Promise<Verdict> {
      const result = await clientOf(session).mutate(call(mutators) as Mutation).server;
      return result.type === 'success' ? { ok: true } : { ok: false, ...result.error };
    },
    close: async (): Promise<void> => { await Promise.all([...clients.values()].map((zero) => zero.close())); },
  };
}
