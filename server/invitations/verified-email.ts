import type { Sql } from 'postgres';
import type { VerifiedEmailOf } from './deps.ts';

/**
 * The address the identity service has verified for a person (their principal id is their user id),
 * read with its own pool. A person known only to the development login has none, and so cannot
 * accept an invitation: an invitation goes to an address, and only a verified one proves it.
 */
export function verifiedEmailFromIdentity(authSql: Sql): VerifiedEmailOf {
  return async (principalId) => {
    const [row] = await authSql<{ email: string }[]>`
      select lower(email) as email from auth."user" where id = ${principalId} and "emailVerified"`;
    return row?.email ?? null;
  };
}
