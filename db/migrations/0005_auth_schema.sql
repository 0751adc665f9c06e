-- The identity service's tables (better-auth 1.7, ADR 0009), in their own schema, reached only by
-- restartix_auth. Generated once from better-auth's getMigrations() and reviewed; better-auth's own
-- runtime migrator is never run. Never replicated. Column names are better-auth's (quoted camelCase).
-- A user's id is a uuid (advanced.database.generateId) and equals their principal id.

create schema auth;
revoke all on schema auth from public;

create table auth."user" (
  "id" text not null primary key,
  "name" text not null,
  "email" text not null unique,
  "emailVerified" boolean not null,
  "image" text,
  "createdAt" timestamptz default current_timestamp not null,
  "updatedAt" timestamptz default current_timestamp not null,
  "twoFactorEnabled" boolean
);

create table auth."session" (
  "id" text not null primary key,
  "expiresAt" timestamptz not null,
  "token" text not null unique,
  "createdAt" timestamptz default current_timestamp not null,
  "updatedAt" timestamptz not null,
  "ipAddress" text,
  "userAgent" text,
  "userId" text not null references auth."user" ("id") on delete cascade,
  -- Ours: the clinic this session works in; it goes into the access token as `org`.
  "activeOrganizationId" text
);

create table auth."account" (
  "id" text not null primary key,
  "accountId" text not null,
  "providerId" text not null,
  "userId" text not null references auth."user" ("id") on delete cascade,
  "accessToken" text,
  "refreshToken" text,
  "idToken" text,
  "accessTokenExpiresAt" timestamptz,
  "refreshTokenExpiresAt" timestamptz,
  "scope" text,
  "password" text,
  "createdAt" timestamptz default current_timestamp not null,
  "updatedAt" timestamptz not null
);

create table auth."verification" (
  "id" text not null primary key,
  "identifier" text not null,
  "value" text not null,
  "expiresAt" timestamptz not null,
  "createdAt" timestamptz default current_timestamp not null,
  "updatedAt" timestamptz default current_timestamp not null
);

create table auth."twoFactor" (
  "id" text not null primary key,
  "secret" text not null,
  "backupCodes" text not null,
  "userId" text not null references auth."user" ("id") on delete cascade,
  "verified" boolean,
  "failedVerificationCount" integer,
  "lockedUntil" timestamptz
);

create table auth."jwks" (
  "id" text not null primary key,
  "publicKey" text not null,
  "privateKey" text not null,
  "createdAt" timestamptz not null,
  "expiresAt" timestamptz,
  "alg" text,
  "crv" text
);

-- Rate limits live in the database so that every core API replica counts the same attempts.
create table auth."rateLimit" (
  "id" text not null primary key,
  "key" text not null unique,
  "count" integer not null,
  "lastRequest" bigint not null
);

create index "session_userId_idx" on auth."session" ("userId");
create index "account_userId_idx" on auth."account" ("userId");
create index "verification_identifier_idx" on auth."verification" ("identifier");
create index "twoFactor_secret_idx" on auth."twoFactor" ("secret");
create index "twoFactor_userId_idx" on auth."twoFactor" ("userId");

-- Deny by default here too: only the identity service's role has a policy.
do $$
declare t text;
begin
  foreach t in array array['user', 'session', 'account', 'verification', 'twoFactor', 'jwks', 'rateLimit'] loop
    execute format('alter table auth.%I enable row level security', t);
    execute format('alter table auth.%I force row level security', t);
    execute format('create policy identity_service on auth.%I to restartix_auth using (true) with check (true)', t);
  end loop;
end $$;

grant usage on schema auth to restartix_auth;
grant select, insert, update, delete on all tables in schema auth to restartix_auth;

-- A person who signs up becomes a human principal, created by the identity service in the same
-- database. It may create humans and read them (to know who needs a second factor), nothing else.
grant usage on schema public to restartix_auth;
grant select, insert on principals to restartix_auth;
grant select, insert, update (name, locale) on humans to restartix_auth;
grant select on memberships, organizations to restartix_auth;
create policy principals_sign_up on principals for insert to restartix_auth with check (kind = 'human');
create policy principals_identity_read on principals for select to restartix_auth using (true);
create policy humans_identity on humans to restartix_auth using (true) with check (true);
create policy memberships_identity_read on memberships for select to restartix_auth using (true);
create policy organizations_identity_read on organizations for select to restartix_auth using (true);
