-- Passkeys (WebAuthn) for the identity service (@better-auth/passkey 1.7, ADR 0010), in the `auth`
-- schema like the rest of it (0005): generated from better-auth's getMigrations() and reviewed.
-- Never replicated; reached only by restartix_auth.

create table auth."passkey" (
  "id" text not null primary key,
  "name" text,
  -- COSE public key (base64): not a secret, but it is what every sign-in is checked against.
  "publicKey" text not null,
  "userId" text not null references auth."user" ("id") on delete cascade,
  "credentialID" text not null,
  "counter" integer not null,
  "deviceType" text not null,
  "backedUp" boolean not null,
  "transports" text,
  "createdAt" timestamptz,
  "aaguid" text
);

create index "passkey_userId_idx" on auth."passkey" ("userId");
-- Ours, stricter than the generated plain index: a credential belongs to one account, so nobody can
-- register a copy of someone else's credential id and make the sign-in lookup ambiguous.
create unique index "passkey_credentialID_key" on auth."passkey" ("credentialID");

-- Ours: whether the session was created by a passkey sign-in with user verification. Only the server
-- sets it (a session hook on the passkey sign-in path); it makes the access token's `mfa` true.
alter table auth."session" add column "signedInWithPasskey" boolean not null default false;

alter table auth."passkey" enable row level security;
alter table auth."passkey" force row level security;
create policy identity_service on auth."passkey" to restartix_auth using (true) with check (true);
grant select, insert, update, delete on auth."passkey" to restartix_auth;
