import type { Sql } from 'postgres';
import type { Authenticator } from '../auth/authenticate.ts';
import { bearerToken } from '../auth/tokens.ts';
import type { Caller } from '../api-keys/caller.ts';
import { isApiKeyShaped } from '../api-keys/key-format.ts';
import { verifyApiKey } from '../api-keys/verify-api-key.ts';
import type { RequestContext } from '../request-context.ts';

export type CallerAuthenticator = (authorization: string | undefined, request: RequestContext) => Promise<Caller>;

/**
 * `Authorization: Bearer rx_…` is an API key, any other bearer credential a person's access token
 * (the same path as every other endpoint). Either way the context comes from the database.
 */
export function createCallerAuthenticator(sql: Sql, authenticate: Authenticator): CallerAuthenticator {
  return async (authorization, request) => {
    const credential = bearerToken(authorization);
    if (credential === null || !isApiKeyShaped(credential)) {
      return { kind: 'human', auth: await authenticate(authorization, request) };
    }
    const caller = await verifyApiKey(sql, credential);
    request.auth = caller.auth;
    request.log = request.log.child({ principalId: caller.auth.principalId, organizationId: caller.auth.organizationId, apiKeyPrefix: caller.prefix });
    return caller;
  };
}
