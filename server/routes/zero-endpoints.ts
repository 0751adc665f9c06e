import Router from '@koa/router';
import { mustGetQuery, type ReadonlyJSONValue } from '@rocicorp/zero';
import { handleMutateRequest, handleQueryRequest } from '@rocicorp/zero/server';
import { queries } from '../../sync-rules/queries.ts';
import { schema } from '../../sync-rules/schema.ts';
import { assertZeroApiKey, type Authenticator } from '../auth/authenticate.ts';
import type { ZeroDbProvider } from '../db.ts';
import { transactAudited } from '../mutate/audit-refusal.ts';
import type { AppState } from '../request-context.ts';
import { forwardedClient } from '../zero-gateway.ts';

export type ZeroLogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The two endpoints zero-cache calls on behalf of a client. Security: `userID` is always the
 * verified principal, so zero-cache rejects a client that claims to be someone else.
 */
export function zeroEndpoints(deps: { authenticate: Authenticator; authenticateForSync: Authenticator; dbProvider: ZeroDbProvider; apiKey: string; zeroLogLevel: ZeroLogLevel }): Router<AppState> {
  const router = new Router<AppState>();

  router.post('/api/zero/query', async (ctx) => {
    assertZeroApiKey(ctx.get('x-api-key'), deps.apiKey);
    const auth = await deps.authenticateForSync(ctx.get('authorization'), ctx.state.request);
    ctx.body = await handleQueryRequest({
      handler: (name, args) => mustGetQuery(queries, name).fn({ args, ctx: auth }),
      schema,
      userID: auth.principalId,
      logLevel: deps.zeroLogLevel,
      query: new URLSearchParams(ctx.querystring),
      body: ctx.request.body as ReadonlyJSONValue,
    });
  });

  router.post('/api/zero/mutate', async (ctx) => {
    assertZeroApiKey(ctx.get('x-api-key'), deps.apiKey);
    const request = ctx.state.request;
    // The browser's address and user agent, as the gateway saw its sync socket; trusted only because
    // zero-cache (holder of the API key) relays them.
    Object.assign(request, forwardedClient((name) => ctx.get(name)));
    const auth = await deps.authenticate(ctx.get('authorization'), request);
    ctx.body = await handleMutateRequest({
      dbProvider: deps.dbProvider,
      handler: (transact, mutation) => transactAudited(transact, mutation, { dbProvider: deps.dbProvider, auth, request }),
      userID: auth.principalId,
      // Refusals are expected traffic and are logged by runServerMutation with their code.
      logLevel: deps.zeroLogLevel,
      query: new URLSearchParams(ctx.querystring),
      body: ctx.request.body as ReadonlyJSONValue,
    });
  });

  return router;
}
