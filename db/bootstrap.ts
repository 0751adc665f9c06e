import postgres from 'postgres';
import { ROLES, ZERO_SHARD_SCHEMA } from './roles.ts';

export type RolePasswords = { owner: string; api: string; zero: string };

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function ident(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/**
 * Creates the roles and the database, as a superuser. Idempotent: a second run only resets passwords.
 * In production this is a one-off step run by the database administrator (`npm run db:bootstrap`).
 */
export async function bootstrapDatabase(superuserUrl: string, database: string, passwords: RolePasswords): Promise<void> {
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql.unsafe(`
      do $$ begin
        if not exists (select from pg_roles where rolname = '${ROLES.owner}') then
          create role ${ROLES.owner} login nobypassrls;
        end if;
        if not exists (select from pg_roles where rolname = '${ROLES.runtime}') then
          create role ${ROLES.runtime} nologin nobypassrls;
        end if;
        if not exists (select from pg_roles where rolname = '${ROLES.api}') then
          create role ${ROLES.api} login nobypassrls noinherit;
        end if;
        if not exists (select from pg_roles where rolname = '${ROLES.zero}') then
          create role ${ROLES.zero} login replication bypassrls;
        end if;
      end $$;
      alter role ${ROLES.owner} password ${literal(passwords.owner)};
      alter role ${ROLES.api} password ${literal(passwords.api)};
      alter role ${ROLES.zero} password ${literal(passwords.zero)};
      grant ${ROLES.runtime} to ${ROLES.api};
    `);
    const [existing] = await sql`select 1 as found from pg_database where datname = ${database}`;
    if (existing === undefined) await sql.unsafe(`create database ${ident(database)} owner ${ROLES.owner}`);
  } finally {
    await sql.end();
  }
  // Inside the new database: what zero-cache needs to create its bookkeeping schema, and the
  // api login's access to the mutation-id table Zero writes in every mutate transaction.
  const db = postgres(superuserUrl.replace(/\/[^/?]*(\?|$)/, `/${database}$1`), { max: 1, onnotice: () => undefined });
  try {
    await db.unsafe(`
      grant connect, create on database ${ident(database)} to ${ROLES.zero};
      grant connect on database ${ident(database)} to ${ROLES.api};
      revoke all on database ${ident(database)} from public;
      grant connect on database ${ident(database)} to ${ROLES.owner};
      create schema if not exists ${ZERO_SHARD_SCHEMA} authorization ${ROLES.zero};
      grant usage on schema ${ZERO_SHARD_SCHEMA} to ${ROLES.api};
      alter default privileges for role ${ROLES.zero} in schema ${ZERO_SHARD_SCHEMA}
        grant select, insert, update on tables to ${ROLES.api};
      revoke create on schema public from public;
    `);
  } finally {
    await db.end();
  }
}
