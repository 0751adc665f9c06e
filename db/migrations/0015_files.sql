-- Files in S3-compatible storage (issue 4, items 4 and 5; ADR 0016). Runs as restartix_owner.
-- REST only (/api/v1/files, server/files/): not in the publication, so zero-cache never holds a row.
--
-- A row is a clinic's record of one object. The object's key is 32 random bytes (base64url), never
-- derived from the file's name, its clinic or a person: a guessed or leaked key opens nothing
-- without a URL the server signs after its own access check, and a URL names one key for minutes.
-- An upload is declared first (name, type, size, SHA-256), then put by the client straight to
-- storage through a presigned PUT that binds length, type and checksum, then confirmed by the
-- server against what storage holds.
--
-- Soft delete: a deleted file is hidden from every normal read by RLS, restorable by the clinic's
-- file managers within the retention window (FILES_RETENTION_DAYS), then purged for good, object
-- first and row second, by purgeDeletedFiles (server/files/purge-deleted-files.ts) through
-- app_purge_next_file below.

-- 1. The permission catalogue gains the files permissions (sync-rules/permissions.ts; replaces the
--    list of 0008, which db/custom-roles.pg.test.ts keeps equal to ORGANIZATION_PERMISSIONS).
create or replace function app_organization_permissions() returns text[] language sql immutable as $$
  select array['locations.read', 'locations.manage', 'members.read', 'members.manage', 'roles.manage',
               'patients.read', 'patients.manage', 'service_accounts.manage', 'audit.read',
               'billing.read', 'billing.manage', 'files.read', 'files.manage']
$$;

-- 2. The files.
create table files (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references organizations (id) on delete cascade,
  storage_key      text not null constraint files_storage_key_shape check (storage_key ~ '^files/[A-Za-z0-9_-]{43}$'),
  -- The name it was uploaded with, offered again on download. It may name a patient or a condition.
  name             text not null constraint files_name_check
                     check (length(name) between 1 and 255 and name !~ '[[:cntrl:]/\\]'),
  content_type     text not null constraint files_content_type_shape
                     check (content_type ~ '^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$'),
  -- As declared by the uploader, and checked against storage before the file counts as uploaded.
  size_bytes       bigint not null constraint files_size_check check (size_bytes between 1 and 5368709120),
  sha256           bytea not null constraint files_sha256_check check (octet_length(sha256) = 32),
  status           text not null default 'pending' constraint files_status_check check (status in ('pending', 'uploaded')),
  uploaded_at      timestamptz,
  created_by       uuid not null references principals (id),
  created_at       timestamptz not null default clock_timestamp(),
  updated_by       uuid not null references principals (id),
  updated_at       timestamptz not null default clock_timestamp(),
  deleted_at       timestamptz,
  deleted_by       uuid references principals (id),
  constraint files_storage_key_key unique (storage_key),
  constraint files_uploaded_at_when_uploaded check ((status = 'uploaded') = (uploaded_at is not null)),
  constraint files_deleted_by_when_deleted check ((deleted_at is null) = (deleted_by is null))
);
create index files_organization_idx on files (organization_id, created_at) where deleted_at is null;
create index files_deleted_idx on files (deleted_at) where deleted_at is not null;
create index files_pending_idx on files (created_at) where status = 'pending' and deleted_at is null;

-- What a file is never changes; an upload, once confirmed, stays confirmed; a deleted file changes
-- only by being restored; the database clock stamps every transition.
create function files_guard() returns trigger language plpgsql as $$
begin
  if new.organization_id <> old.organization_id or new.storage_key <> old.storage_key or new.name <> old.name
     or new.content_type <> old.content_type or new.size_bytes <> old.size_bytes or new.sha256 <> old.sha256
     or new.created_by <> old.created_by or new.created_at <> old.created_at then
    raise exception 'file % cannot change what it is', old.id
      using errcode = 'check_violation', constraint = 'files_identity_is_fixed';
  end if;
  if old.deleted_at is not null and new.deleted_at is not null then
    raise exception 'file % is deleted; restore it first', old.id
      using errcode = 'check_violation', constraint = 'files_deleted_is_frozen';
  end if;
  if old.status = 'uploaded' and new.status <> 'uploaded' then
    raise exception 'file % is uploaded; that is final', old.id
      using errcode = 'check_violation', constraint = 'files_upload_is_final';
  end if;
  new.uploaded_at := case when old.status = 'pending' and new.status = 'uploaded' then clock_timestamp() else old.uploaded_at end;
  if old.deleted_at is null and new.deleted_at is not null then
    new.deleted_at := clock_timestamp();
  end if;
  new.updated_at := clock_timestamp();
  return new;
end $$;

create trigger files_guard before update on files
  for each row execute function files_guard();

alter table files enable row level security;
alter table files force row level security;

-- 3. What the runtime role may do, by column. It never deletes a row: only the purge does.
grant select on files to restartix_app;
grant insert (id, organization_id, storage_key, name, content_type, size_bytes, sha256, created_by, updated_by) on files to restartix_app;
grant update (status, updated_by, deleted_at, deleted_by) on files to restartix_app;

-- 4. Readers see their clinic's live files. Deleted files are hidden from every normal read; a file
--    manager's trash, and deleting and restoring (whose new or old row is a deleted one), name them
--    on purpose with the transaction-local app.files_deleted = 'visible', which the server sets there
--    only. Writes need files.manage in the clinic the request works in, stamped with the actor.
create policy files_read on files for select to restartix_app
  using (deleted_at is null and (app_can(organization_id, 'files.read') or app_can(organization_id, 'files.manage')));
create policy files_read_deleted on files for select to restartix_app
  using (deleted_at is not null and app_can(organization_id, 'files.manage')
    and current_setting('app.files_deleted', true) = 'visible');
create policy files_create on files for insert to restartix_app
  with check (app_can(organization_id, 'files.manage') and status = 'pending' and deleted_at is null
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid
    and updated_by = created_by);
create policy files_update on files for update to restartix_app
  using (app_can(organization_id, 'files.manage'))
  with check (app_can(organization_id, 'files.manage')
    and updated_by = nullif(current_setting('app.principal_id', true), '')::uuid
    and (deleted_by is null or deleted_by = updated_by));

-- 5. The purge. FORCE ROW LEVEL SECURITY applies to the owner too, so the function reaches the rows
--    through owner-only policies admitting rows only while app.files_purge_window is 'open', which
--    the function opens and closes itself (as in 0010). It removes one due row per call, skipping
--    rows another purge holds, and returns what the caller must delete from storage in the same
--    transaction: a deleted file past the retention window, or an upload never confirmed within
--    abandoned_after. If deleting the object fails, the caller's rollback brings the row back, so no
--    object is ever left without its row. A row past the window is never restorable, so a row whose
--    object is already gone can never come back either.
create policy files_purge_read on files for select to restartix_owner
  using (pg_catalog.current_setting('app.files_purge_window', true) = 'open');
create policy files_purge_delete on files for delete to restartix_owner
  using (pg_catalog.current_setting('app.files_purge_window', true) = 'open');
-- Claiming a row (FOR UPDATE SKIP LOCKED) is checked as an update: admitted, but nothing is ever written.
create policy files_purge_claim on files for update to restartix_owner
  using (pg_catalog.current_setting('app.files_purge_window', true) = 'open')
  with check (false);

create function app_purge_next_file(retention interval, abandoned_after interval)
returns table (file_id uuid, file_organization_id uuid, file_storage_key text, purge_reason text, actor_principal_id uuid, file_deleted_at timestamptz)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  purged public.files%rowtype;
begin
  -- However it is called, nothing younger than a day (deleted) or an hour (pending) is purged.
  if retention is null or abandoned_after is null or retention < interval '1 day' or abandoned_after < interval '1 hour' then
    raise exception 'files are kept at least a day after deletion and an hour before an upload counts as abandoned'
      using errcode = 'check_violation', constraint = 'files_purge_minimum';
  end if;
  perform pg_catalog.set_config('app.files_purge_window', 'open', true);
  delete from public.files f
  where f.id = (select d.id from public.files d
                where d.deleted_at <= pg_catalog.now() - retention
                   or (d.deleted_at is null and d.status = 'pending' and d.created_at <= pg_catalog.now() - abandoned_after)
                order by coalesce(d.deleted_at, d.created_at)
                limit 1
                for update skip locked)
  returning f.* into purged;
  perform pg_catalog.set_config('app.files_purge_window', '', true);
  if purged.id is null then
    return;
  end if;
  file_id := purged.id;
  file_organization_id := purged.organization_id;
  file_storage_key := purged.storage_key;
  purge_reason := case when purged.deleted_at is null then 'abandoned_upload' else 'retention_elapsed' end;
  actor_principal_id := coalesce(purged.deleted_by, purged.created_by);
  file_deleted_at := purged.deleted_at;
  return next;
end $$;

revoke all on function app_purge_next_file(interval, interval) from public;
grant execute on function app_purge_next_file(interval, interval) to restartix_app;
