import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { can } from '../../sync-rules/permissions.ts';
import { isApiKeyShaped } from '../api-keys/key-format.ts';
import type { Authenticator } from '../auth/authenticate.ts';
import { bearerToken } from '../auth/tokens.ts';
import type { RequestContext } from '../request-context.ts';

/**
 * Invitations and share-links take a person with an access token. An API key is refused by its shape,
 * before it is looked up: an integration neither invites people nor joins a clinic.
 */
export async function authenticateHuman(authenticate: Authenticator, authorization: string | undefined, request: RequestContext): Promise<AuthContext> {
  const credential = bearerToken(authorization);
  if (credential !== null && isApiKeyShaped(credential)) {
    throw new DomainError('FORBIDDEN', 'invitations and share-links are for people, not API keys');
  }
  return authenticate(authorization, request);
}

/**
 * The organisation whose invitations and share-links the caller manages (members.manage: owners
 * and admins). The first thing every managing service does, before anything is looked up.
 */
export function requireMemberManager(auth: AuthContext): string {
  if (auth.organizationId === null) throw new DomainError('FORBIDDEN', 'no organisation selected');
  if (!can(auth, 'members.manage')) throw new DomainError('FORBIDDEN', 'missing permission members.manage');
  return auth.organizationId;
}
