-- Platform operators (issue 3, Console): who holds a platform role, and the one way it changes.
-- Runs as restartix_owner. No new table or column.
--
-- Security: the runtime role never gets UPDATE on humans. The generated humans_access policy lets
-- a person see their own row and its WITH CHECK admits that same row, so with the privilege anyone
-- could write platform_role = 'superadmin' on themself. Instead, three SECURITY DEFINER functions
-- (owned by restartix_owner, search_path pinned, every name schema-qualified, executable by the
-- runtime role only) read and change platform roles, each under these rules:
--   - the acting principal must hold the role in the database, not only in the request's settings:
--     app.platform_role must name it AND the principal's own humans row must carry it, so a
--     context built with a stale or wrong role cannot act;
--   - only a superadmin reads an account by address or changes a role; both operator roles may
--     list the operators (support engineers read only: they need to know who the superadmins are to
--     escalate, and whether each operator is protected by a second factor; operators' names and
--     addresses are platform staff data, not clinic or patient data);
--   - nobody changes their own role, and the last superadmin is never demoted or removed;
--   - only an existing human is a target;
--   - every change writes its audit row here, in the same transaction, so no change goes unrecorded
--     whoever calls the function.
--
-- FORCE ROW LEVEL SECURITY applies to the owner too, so the functions reach humans and audit_log
-- through owner-only policies that admit rows only while app.platform_roles_window is 'open'. The
-- functions open it themselves and close it before returning (on an error the transaction, or its
-- savepoint, takes it back). Nobody else can use these policies: no request ever becomes the owner.

-- 1. What the owner sees and writes while a function's window is open: operators, the one target
--    named by id, or the one account looked up by address.
create policy humans_platform_roles_read on humans for select to restartix_owner
  using (pg_catalog.current_setting('app.platform_roles_window', true) = 'open'
    and (platform_role is not null
      or principal_id = nullif(pg_catalog.current_setting('app.platform_role_target', true), '')::uuid
      or email = nullif(pg_catalog.current_setting('app.platform_role_lookup', true), '')));
create policy humans_platform_roles_write on humans for update to restartix_owner
  using (pg_catalog.current_setting('app.platform_roles_window', true) = 'open'
    and principal_id = nullif(pg_catalog.current_setting('app.platform_role_target', true), '')::uuid)
  with check (pg_catalog.current_setting('app.platform_roles_window', true) = 'open'
    and principal_id = nullif(pg_catalog.current_setting('app.platform_role_target', true), '')::uuid);
create policy audit_log_platform_roles on audit_log for insert to restartix_owner
  with check (pg_catalog.current_setting('app.platform_roles_window', true) = 'open'
    and action in ('platform_role.granted', 'platform_role.changed', 'platform_role.revoked')
    and entity_type = 'human'
    and entity_id = pg_catalog.current_setting('app.platform_role_target', true)
    and actor_principal_id = nullif(pg_catalog.current_setting('app.principal_id', true), '')::uuid);

-- 2. The acting principal's platform role, when the database and the request agree on it. Plain
--    (not SECURITY DEFINER): inside the functions below it runs as the owner, through the window.
create function app_acting_platform_role() returns text
language sql stable
set search_path = pg_catalog, pg_temp
as $$
  select h.platform_role from public.humans h
  where h.principal_id = nullif(pg_catalog.current_setting('app.principal_id', true), '')::uuid
    and h.platform_role = nullif(pg_catalog.current_setting('app.platform_role', true), '')
$$;
revoke all on function app_acting_platform_role() from public;

-- 3. Who holds a platform role. Both operator roles.
create function app_platform_operators()
returns table (principal_id uuid, email text, name text, platform_role text)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  perform pg_catalog.set_config('app.platform_roles_window', 'open', true);
  if public.app_acting_platform_role() is null then
    raise exception 'only platform operators list the operators'
      using errcode = 'insufficient_privilege', constraint = 'platform_roles_operators_only';
  end if;
  return query
    select h.principal_id, h.email, h.name, h.platform_role from public.humans h
    where h.platform_role is not null
    order by pg_catalog.lower(h.name), h.email;
  perform pg_catalog.set_config('app.platform_roles_window', '', true);
end $$;

-- 4. The account (human principal) with an address, or null. Superadmins only: it is how a role is
--    granted by email.
create function app_human_for_email(address text) returns uuid
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  found_id uuid;
begin
  perform pg_catalog.set_config('app.platform_roles_window', 'open', true);
  if public.app_acting_platform_role() is distinct from 'superadmin' then
    raise exception 'only a superadmin looks accounts up'
      using errcode = 'insufficient_privilege', constraint = 'platform_roles_superadmin_only';
  end if;
  perform pg_catalog.set_config('app.platform_role_lookup', pg_catalog.lower(address), true);
  select h.principal_id into found_id from public.humans h where h.email = pg_catalog.lower(address);
  perform pg_catalog.set_config('app.platform_role_lookup', '', true);
  perform pg_catalog.set_config('app.platform_roles_window', '', true);
  return found_id;
end $$;

-- 5. Grants (from null), changes or revokes (to null) a human's platform role; returns the role
--    they held before. Setting the role they already hold changes nothing and records nothing.
create function app_set_platform_role(target uuid, new_role text, audit_request_id text) returns text
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  actor uuid := nullif(pg_catalog.current_setting('app.principal_id', true), '')::uuid;
  previous text;
  target_email text;
  superadmins integer;
begin
  if new_role is not null and new_role not in ('superadmin', 'support_engineer') then
    raise exception 'unknown platform role %', new_role using errcode = 'check_violation', constraint = 'platform_roles_known';
  end if;
  if target is null or audit_request_id is null or audit_request_id = '' then
    raise exception 'a target and a request id are required' using errcode = 'null_value_not_allowed';
  end if;
  -- One change at a time, platform-wide: two superadmins demoting each other at the same moment
  -- would each still count the other and leave none. Each statement below then sees the changes
  -- committed before the lock was granted (READ COMMITTED takes a snapshot per statement).
  perform pg_catalog.pg_advisory_xact_lock(7212010);
  perform pg_catalog.set_config('app.platform_roles_window', 'open', true);
  perform pg_catalog.set_config('app.platform_role_target', target::text, true);
  if actor is null or public.app_acting_platform_role() is distinct from 'superadmin' then
    raise exception 'only a superadmin changes platform roles'
      using errcode = 'insufficient_privilege', constraint = 'platform_roles_superadmin_only';
  end if;
  select h.platform_role, h.email into previous, target_email from public.humans h where h.principal_id = target;
  if not found then
    raise exception 'no human %', target using errcode = 'no_data_found', constraint = 'platform_roles_target_is_human';
  end if;
  if previous is not distinct from new_role then
    perform pg_catalog.set_config('app.platform_role_target', '', true);
    perform pg_catalog.set_config('app.platform_roles_window', '', true);
    return previous;
  end if;
  -- Before the own-role rule, so that the only superadmin hears why they cannot step down.
  if previous = 'superadmin' then
    select pg_catalog.count(*) into superadmins from public.humans h where h.platform_role = 'superadmin';
    if superadmins <= 1 then
      raise exception 'the last superadmin keeps the role' using errcode = 'check_violation', constraint = 'platform_roles_keep_a_superadmin';
    end if;
  end if;
  if target = actor then
    raise exception 'nobody changes their own platform role' using errcode = 'insufficient_privilege', constraint = 'platform_roles_not_own';
  end if;
  update public.humans h set platform_role = new_role where h.principal_id = target;
  insert into public.audit_log (request_id, actor_principal_id, organization_id, action, entity_type, entity_id, changes)
  values (audit_request_id, actor, null,
          case when previous is null then 'platform_role.granted'
               when new_role is null then 'platform_role.revoked'
               else 'platform_role.changed' end,
          'human', target::text,
          pg_catalog.jsonb_build_object('email', target_email, 'from', previous, 'to', new_role));
  perform pg_catalog.set_config('app.platform_role_target', '', true);
  perform pg_catalog.set_config('app.platform_roles_window', '', true);
  return previous;
end $$;

-- 6. Functions are executable by PUBLIC by default: only the runtime role may call these.
revoke all on function app_platform_operators() from public;
revoke all on function app_human_for_email(text) from public;
revoke all on function app_set_platform_role(uuid, text, text) from public;
grant execute on function app_platform_operators() to restartix_app;
grant execute on function app_human_for_email(text) to restartix_app;
grant execute on function app_set_platform_role(uuid, text, text) to restartix_app;
