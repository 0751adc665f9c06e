import { randomBytes } from 'node:crypto';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import { ensureDatabase, ensureRoles, withCredentials, withDatabase } from '../../db/bootstrap.ts';
import { migrate } from '../../db/migrate.ts';
import { ROLES } from '../../db/roles.ts';
import { actAs } from '../../server/db-scope.ts';
import type { AuthContext } from '../../sync-rules/context.ts';

export const TEST_PASSWORDS = {
  superuser: 'test-superuser-pw',
  owner: 'test-owner-pw',
  api: 'test-api-pw',
  zero: 'test-zero-pw',
  auth: 'test-auth-pw',
} as const;

const TEMPLATE = 'restartix_template';

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Roles plus a migrated template database that every test database is cloned from. */
export async function prepareTemplate(superuserUrl: string): Promise<void> {
  await ensureRoles(superuserUrl, TEST_PASSWORDS);
  await ensureDatabase(superuserUrl, TEMPLATE);
  await migrate(withCredentials(withDatabase(superuserUrl, TEMPLATE), ROLES.owner, TEST_PASSWORDS.owner));
}

export type TestDatabase = {
  name: string;
  /** Bypasses RLS: for fixtures and for checking what really is in the tables. */
  admin: Sql;
  /** The server's login role. */
  api: Sql;
  urls: { admin: string; owner: string; api: string };
  close: () => Promise<void>;
};

/** A fresh, migrated database for one test file. */
export async function freshDatabase(superuserUrl: string): Promise<TestDatabase> {
  const name = uniqueName('t');
  await ensureDatabase(superuserUrl, name, TEMPLATE);
  const admin = withDatabase(superuserUrl, name);
  const urls = {
    admin,
    owner: withCredentials(admin, ROLES.owner, TEST_PASSWORDS.owner),
    api: withCredentials(admin, ROLES.api, TEST_PASSWORDS.api),
  };
  const adminSql = postgres(urls.admin, { max: 4, onnotice: () => undefined });
  const apiSql = postgres(urls.api, { max: 4, onnotice: () => undefined });
  return {
    name,
    admin: adminSql,
    api: apiSql,
    urls,
    close: async () => {
      await adminSql.end();
      await apiSql.end();
    },
  };
}

/** Runs `work` as the runtime role on behalf of `auth`, and rolls it back. */
export async function asPrincipal<T>(api: Sql, auth: AuthContext, work: (tx: TransactionSql) => Promise<T>): Promise<T> {
  let result: T | undefined;
  const rollback = new Error('rollback');
  try {
    await api.begin(async (tx) => {
      await actAs(tx, auth);
      result = await work(tx);
      throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return result as T;
}
