import type { Sql } from 'postgres';
import type { SecondFactorsOf } from './deps.ts';

/**
 * Read with the identity service's own pool: the auth schema is reachable by restartix_auth only. A
 * person known only to the development login has no account there, hence no second factor.
 */
export function secondFactorsFromIdentity(authSql: Sql): SecondFactorsOf {
  return async (principalIds) => {
    if (principalIds.length === 0) return new Set();
    const rows = await authSql<{ id: string }[]>`
      select id from auth."user" where id in ${authSql([...principalIds])} and "twoFactorEnabled"`;
    return new Set(rows.map((row) => row.id));
  };
}
