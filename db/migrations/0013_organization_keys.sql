-- Envelope encryption (docs/adr/0014-envelope-encryption.md): each organisation's data keys, wrapped
-- by the key provider (a local keyring file, or AWS KMS), and the column type every encrypted field
-- uses. The plaintext of a data key is never stored; it lives only in the server's memory, for a
-- bounded time (server/crypto/). Never replicated: not in the publication.
--
-- Who reads it. Not the runtime role: which key encrypts a clinic's values is not a decision a
-- principal's request makes, and the workers that re-encrypt, deliver webhooks or read files run
-- outside any request. Like notification_deliveries (0003), the server's own login, restartix_api,
-- reads and writes it directly, and only while no principal is set, so a request's transaction
-- (actAs(), or after stopActing() in a Zero mutate) cannot reach it even through an injection:
--   - restartix_app, restartix_zero and restartix_auth get no grant at all;
--   - restartix_api gets select, insert of the key columns (never created_at or retired_at) and
--     update of retired_at only; never delete, so no value encrypted under a version is orphaned
--     by the server. Deleting an organisation deletes its keys (cascade): crypto-shredding.

create table organization_keys (
  organization_id uuid not null references organizations (id) on delete cascade,
  -- 1, 2, …: the version every ciphertext names (v1.<version>.…).
  version         integer not null check (version between 1 and 1000000),
  -- Which provider wrapped it, and under which of its master keys (a KMS key ARN, or
  -- local-keyring:v<n>): a server configured with another provider says so instead of failing obscurely.
  provider        text not null check (provider in ('local-keyring', 'aws-kms')),
  key_id          text not null check (length(key_id) between 1 and 2048),
  wrapped_key     bytea not null check (octet_length(wrapped_key) between 32 and 6144),
  created_at      timestamptz not null default clock_timestamp(),
  -- Set when a newer version takes over encryption. A retired version still decrypts until the
  -- re-encryption job has moved every value off it.
  retired_at      timestamptz,
  primary key (organization_id, version)
);

-- At most one version encrypts at a time; concurrent first uses or rotations collide here.
create unique index organization_keys_current_key on organization_keys (organization_id) where retired_at is null;

-- Retirement is stamped by the database clock and final.
create function organization_keys_retire() returns trigger language plpgsql as $$
begin
  if old.retired_at is not null then
    raise exception 'data key version % of organisation % is already retired', old.version, old.organization_id
      using errcode = 'check_violation', constraint = 'organization_keys_retirement_is_final';
  end if;
  new.retired_at := case when new.retired_at is null then null else clock_timestamp() end;
  return new;
end $$;

create trigger organization_keys_retire before update on organization_keys
  for each row execute function organization_keys_retire();

alter table organization_keys enable row level security;
alter table organization_keys force row level security;

grant select on organization_keys to restartix_api;
grant insert (organization_id, version, provider, key_id, wrapped_key) on organization_keys to restartix_api;
grant update (retired_at) on organization_keys to restartix_api;

create policy organization_keys_server on organization_keys to restartix_api
  using (nullif(current_setting('app.principal_id', true), '') is null)
  with check (nullif(current_setting('app.principal_id', true), '') is null);

-- An encrypted field, as server/crypto/field-cipher.ts writes it: v1.<key version>.<iv>.<ciphertext
-- and tag>, base64url. Declaring a column with this type makes the database refuse a plaintext
-- value in it; db/secret-storage.pg.test.ts checks that every such secret column uses it.
create domain encrypted_field as text
  check (value ~ '^v1\.[1-9][0-9]{0,6}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$');
