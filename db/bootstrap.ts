import postgres from 'postgres';
import { ROLES } from './roles.ts';

export type RolePasswords = { owner: string; api: string; zero: string; auth: string };

const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;
const ident = (value: string): string => `"${value.replaceAll('"', '""')}"`;

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** With credentials swapped: how each role reaches the same database. */
export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** Cluster-wide roles (see db/roles.ts). Idempotent: a second run only resets passwords. */
export async function ensureRoles(superuserUrl: string, passwords: RolePasswords): Promise<void> {
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => undefined });
  try {
    // Roles are cluster-wide: two stacks starting at once (tests) would race on the same rows.
    await sql`select pg_advisory_lock(hashtext('restartix.ensure_roles'))`;
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
        if not exists (select from pg_roles where rolname = '${ROLES.auth}') then
          create role ${ROLES.auth} login nobypassrls;
        end if;
      end $$;
      alter role ${ROLES.owner} password ${literal(passwords.owner)};
      alter role ${ROLES.api} password ${literal(passwords.api)};
      alter role ${ROLES.zero} password ${literal(passwords.zero)};
      alter role ${ROLES.auth} password ${literal(passwords.auth)};
      grant ${ROLES.runtime} to ${ROLES.api};
    `);
    await sql`select pg_advisory_unlock(hashtext('restartix.ensure_roles'))`;
  } finally {
    await sql.end();
  }
}

/** Creates the database owned by the owner role, optionally as a copy of a migrated template. */
export async function ensureDatabase(superuserUrl: string, database: string, template?: string): Promise<void> {
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => undefined });
  try {
    const [existing] = await sql`select 1 as found from pg_database where datname = ${database}`;
    if (existing !== undefined) return;
    const from = template === undefined ? '' : ` template ${ident(template)}`;
    await sql.unsafe(`create database ${ident(database)} owner ${ROLES.owner}${from}`);
  } finally {
    await sql.end();
  }
  const db = postgres(withDatabase(superuserUrl, database), { max: 1, onnotice: () => undefined });
  try {
    await db.unsafe(`
      revoke all on database ${ident(database)} from public;
      grant connect on database ${ident(database)} to ${ROLES.owner}, ${ROLES.api}, ${ROLES.auth};
      grant connect, create on database ${ident(database)} to ${ROLES.zero};
      revoke create on schema public from public;
    `);
  } finally {
    await db.end();
  }
}

/**
 * zero-cache keeps its per-client mutation ids in the schema `<appId>_0`, and the server writes
 * them in every mutate transaction. Creating the schema ahead, owned by the zero role, lets us grant
 * the api role exactly that table set and nothing else of zero-cache's (its change log holds rows).
 */
export async function prepareZeroShard(superuserUrl: string, database: string, appId: string): Promise<void> {
  const shard = ident(`${appId}_0`);
  const db = postgres(withDatabase(superuserUrl, database), { max: 1, onnotice: () => undefined });
  try {
    await db.unsafe(`
      create schema if not exists ${shard} authorization ${ROLES.zero};
      grant usage on schema ${shard} to ${ROLES.api};
      alter default privileges for role ${ROLES.zero} in schema ${shard}
        grant select, insert, update, delete on tables to ${ROLES.api};
    `);
  } finally {
    await db.end();
  }
}
