import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { can, type OrganizationPermission } from '../../sync-rules/permissions.ts';
import { isApiKeyShaped } from '../api-keys/key-format.ts';
import type { Authenticator } from '../auth/authenticate.ts';
import { bearerToken } from '../auth/tokens.ts';
import type { RequestContext } from '../request-context.ts';

/**
 * Files take a person with an access token. An API key is refused by its shape, before it is looked
 * up: no key may hold a files permission yet (server/api-keys/permissions.ts), and the files policies
 * read the person's permissions, not a key's.
 */
export async function authenticatePerson(authenticate: Authenticator, authorization: string | undefined, request: RequestContext): Promise<AuthContext> {
  const credential = bearerToken(authorization);
  if (credential !== null && isApiKeyShaped(credential)) throw new DomainError('FORBIDDEN', 'files are for people, not API keys');
  return authenticate(authorization, request);
}

/** The organisation whose files the caller works on, after checking `permission`: every service's first step. */
export function requireFilePermission(auth: AuthContext, permission: Extract<OrganizationPermission, `files.${string}`>): string {
  if (auth.organizationId === null) throw new DomainError('FORBIDDEN', 'no organisation selected');
  if (!can(auth, permission)) throw new DomainError('FORBIDDEN', `missing permission ${permission}`);
  return auth.organizationId;
}
