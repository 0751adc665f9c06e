-- Data-subject requests (issue 5, item 6; ADR 0022). Runs as restartix_owner. REST only
-- (/api/v1/me/data-requests, /api/v1/data-requests; server/data-requests/): nothing here is
-- published, so zero-cache never holds a row.
--
-- The clinic is the controller, the platform the processor: a patient's request for an export or
-- for erasure becomes one row per clinic that holds a live record of them, and only that clinic's
-- people decide it. There is no operator path: no policy here names a platform role, and no
-- function decides a request.

-- 1. The requests.
create table data_subject_requests (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references organizations (id) on delete cascade,
  -- The clinic's record the request is about. When an erased record is purged this becomes null:
  -- the request and its decision stay, as the clinic's evidence that it answered.
  patient_id       uuid references patients (id) on delete set null,
  -- The person who asked (their account); nobody asks on someone else's behalf here.
  requested_by     uuid not null references humans (principal_id),
  kind             text not null constraint data_subject_requests_kind_check check (kind in ('export', 'erasure')),
  status           text not null default 'requested'
                     constraint data_subject_requests_status_check check (status in ('requested', 'fulfilled', 'declined')),
  -- Why the clinic declined; required then, and only then.
  reason           text constraint data_subject_requests_reason_check check (length(btrim(reason)) between 1 and 2000),
  decided_at       timestamptz,
  decided_by       uuid references principals (id),
  created_at       timestamptz not null default clock_timestamp(),
  updated_at       timestamptz not null default clock_timestamp(),
  updated_by       uuid not null references principals (id),
  constraint data_subject_requests_decision_shape
    check ((status = 'requested') = (decided_at is null) and (decided_at is null) = (decided_by is null)),
  constraint data_subject_requests_reason_when_declined check ((status = 'declined') = (reason is not null))
);
-- Asking again while a request of the same kind is open finds that request, not a second one.
create unique index data_subject_requests_one_open_key on data_subject_requests (patient_id, kind) where status = 'requested';
create index data_subject_requests_organization_idx on data_subject_requests (organization_id, created_at);
create index data_subject_requests_requester_idx on data_subject_requests (requested_by, created_at);

-- A decision is made once, stamped by the database clock, and never changed afterwards; what was
-- asked, by whom, of which clinic, never changes at all. The one later change: the purge of an
-- erased record empties patient_id (the foreign key's action).
create function data_subject_requests_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    new.created_at := clock_timestamp();
    new.updated_at := new.created_at;
    return new;
  end if;
  if new.organization_id <> old.organization_id or new.requested_by <> old.requested_by or new.kind <> old.kind
     or new.created_at <> old.created_at or (new.patient_id is distinct from old.patient_id and new.patient_id is not null) then
    raise exception 'what a data-subject request asks does not change' using errcode = 'check_violation', constraint = 'data_subject_requests_immutable';
  end if;
  if old.status <> 'requested' and (new.status, new.reason, new.decided_by, new.decided_at) is distinct from (old.status, old.reason, old.decided_by, old.decided_at) then
    raise exception 'data-subject request % is decided', old.id using errcode = 'check_violation', constraint = 'data_subject_requests_decided';
  end if;
  if old.status = 'requested' and new.status <> 'requested' then
    new.decided_at := clock_timestamp();
  end if;
  new.updated_at := clock_timestamp();
  return new;
end $$;
create trigger data_subject_requests_guard before insert or update on data_subject_requests
  for each row execute function data_subject_requests_guard();

alter table data_subject_requests enable row level security;
alter table data_subject_requests force row level security;
grant select on data_subject_requests to restartix_app;
grant insert (id, organization_id, patient_id, requested_by, kind, updated_by) on data_subject_requests to restartix_app;
grant update (status, reason, decided_by, updated_by) on data_subject_requests to restartix_app;

-- The person reads their own requests, in every clinic; a clinic's patient managers read their
-- clinic's. Nobody else: not another clinic, not a platform operator.
create policy data_subject_requests_read on data_subject_requests for select to restartix_app
  using (requested_by = nullif(current_setting('app.principal_id', true), '')::uuid
    or app_can(organization_id, 'patients.manage'));
-- A person asks as themself, about their own live record in that clinic (read under their RLS).
create policy data_subject_requests_ask on data_subject_requests for insert to restartix_app
  with check (requested_by = nullif(current_setting('app.principal_id', true), '')::uuid
    and updated_by = requested_by
    and status = 'requested'
    and exists (select 1 from patients p
                where p.id = data_subject_requests.patient_id and p.organization_id = data_subject_requests.organization_id
                  and p.principal_id = data_subject_requests.requested_by and p.deleted_at is null));
-- A clinic decides its own open requests: an export with patients.manage, an erasure with
-- patients.delete (it deletes the record). Never one's own request.
create policy data_subject_requests_decide on data_subject_requests for update to restartix_app
  using (status = 'requested' and app_can(organization_id, 'patients.manage')
    and (kind = 'export' or app_can(organization_id, 'patients.delete'))
    and requested_by <> nullif(current_setting('app.principal_id', true), '')::uuid)
  with check (app_can(organization_id, 'patients.manage')
    and (kind = 'export' or app_can(organization_id, 'patients.delete'))
    and decided_by = nullif(current_setting('app.principal_id', true), '')::uuid
    and updated_by = decided_by);

-- 2. The exports: what a clinic produced when it fulfilled an export request, encrypted under the
--    clinic's data key (server/crypto/, ADR 0014), for the person to download while it is available.
create table data_subject_exports (
  -- The request's id: one export per request.
  id               uuid primary key references data_subject_requests (id) on delete cascade,
  organization_id  uuid not null references organizations (id) on delete cascade,
  -- The JSON document (server/data-requests/collect-export.ts), as field ciphertext bound to this row.
  content          encrypted_field not null,
  created_by       uuid not null references principals (id),
  created_at       timestamptz not null default clock_timestamp(),
  available_until  timestamptz not null default clock_timestamp() + interval '7 days'
);
create index data_subject_exports_available_idx on data_subject_exports (available_until);

alter table data_subject_exports enable row level security;
alter table data_subject_exports force row level security;
grant select on data_subject_exports to restartix_app;
grant insert (id, organization_id, content, created_by) on data_subject_exports to restartix_app;
grant delete on data_subject_exports to restartix_app;

-- Written by whoever fulfilled the request, in that transaction, after the decision.
create policy data_subject_exports_write on data_subject_exports for insert to restartix_app
  with check (created_by = nullif(current_setting('app.principal_id', true), '')::uuid
    and exists (select 1 from data_subject_requests r
                where r.id = data_subject_exports.id and r.organization_id = data_subject_exports.organization_id
                  and r.kind = 'export' and r.status = 'fulfilled' and r.decided_by = data_subject_exports.created_by));
-- Read by the person who asked, while it is available; the clinic keeps the originals, not this copy.
create policy data_subject_exports_read on data_subject_exports for select to restartix_app
  using (available_until > now()
    and exists (select 1 from data_subject_requests r
                where r.id = data_subject_exports.id
                  and r.requested_by = nullif(current_setting('app.principal_id', true), '')::uuid));
-- Erasing a record takes its exports with it (the erasure is decided with patients.delete), so the
-- clinic's erasers may find them; they hold only ciphertext the server alone opens.
create policy data_subject_exports_erase_find on data_subject_exports for select to restartix_app
  using (app_can(organization_id, 'patients.delete'));
create policy data_subject_exports_erase on data_subject_exports for delete to restartix_app
  using (app_can(organization_id, 'patients.delete'));

-- 3. The owner's windows for the functions below (FORCE ROW LEVEL SECURITY binds the owner too),
--    each opened and closed by the function itself; no request ever becomes the owner.
create policy data_subject_requests_owner_window on data_subject_requests for select to restartix_owner
  using (pg_catalog.current_setting('app.data_requests_window', true) = 'open');
create policy data_subject_exports_owner_window on data_subject_exports for all to restartix_owner
  using (pg_catalog.current_setting('app.data_requests_window', true) = 'open')
  with check (false);
create policy memberships_data_requests_window on memberships for select to restartix_owner
  using (pg_catalog.current_setting('app.data_requests_window', true) = 'open');
create policy humans_data_requests_window on humans for select to restartix_owner
  using (pg_catalog.current_setting('app.data_requests_window', true) = 'open');
create policy organizations_data_requests_window on organizations for select to restartix_owner
  using (pg_catalog.current_setting('app.data_requests_window', true) = 'open');
create policy organization_roles_data_requests_window on organization_roles for select to restartix_owner
  using (pg_catalog.current_setting('app.data_requests_window', true) = 'open');

-- Whom to tell about request `request`, for the job runner's mail (restartix_api, outside any
-- request: refused while a principal is set). audience 'clinic': the clinic's members who can decide
-- it, i.e. whose system role is one of `deciding_roles` or whose custom role grants every one of
-- `deciding_permissions` (the server resolves system roles, which live in code); 'requester': the
-- person who asked. Only addresses, names and languages of those people, and the clinic's name.
create function app_data_request_recipients(request uuid, audience text, deciding_roles text[], deciding_permissions text[])
returns table (principal_id uuid, email text, name text, locale text, organization_name text)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if nullif(pg_catalog.current_setting('app.principal_id', true), '') is not null then
    raise exception 'only the job runner looks up whom to tell' using errcode = 'insufficient_privilege';
  end if;
  if audience not in ('clinic', 'requester') then
    raise exception 'no audience %', audience using errcode = 'invalid_parameter_value';
  end if;
  perform pg_catalog.set_config('app.data_requests_window', 'open', true);
  if audience = 'requester' then
    return query
      select h.principal_id, h.email, h.name, h.locale, o.name
      from public.data_subject_requests r
      join public.humans h on h.principal_id = r.requested_by
      join public.organizations o on o.id = r.organization_id
      where r.id = request;
  else
    return query
      select h.principal_id, h.email, h.name, h.locale, o.name
      from public.data_subject_requests r
      join public.organizations o on o.id = r.organization_id
      join public.memberships m on m.organization_id = r.organization_id
      join public.humans h on h.principal_id = m.principal_id
      left join public.organization_roles cr on cr.id = m.custom_role_id and cr.organization_id = m.organization_id
      where r.id = request
        and m.principal_id <> r.requested_by
        and (m.role = any (deciding_roles) or (m.role = 'custom' and cr.permissions ?& deciding_permissions))
      order by h.email;
  end if;
  perform pg_catalog.set_config('app.data_requests_window', '', true);
end $$;
revoke all on function app_data_request_recipients(uuid, text, text[], text[]) from public;
grant execute on function app_data_request_recipients(uuid, text, text[], text[]) to restartix_api;

-- Exports past their availability leave the database: called by the maintenance job as the runtime
-- role with no principal. Returns how many went.
create function app_purge_expired_data_exports() returns integer
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  removed integer;
begin
  perform pg_catalog.set_config('app.data_requests_window', 'open', true);
  delete from public.data_subject_exports e where e.available_until <= pg_catalog.now();
  get diagnostics removed = row_count;
  perform pg_catalog.set_config('app.data_requests_window', '', true);
  return removed;
end $$;
revoke all on function app_purge_expired_data_exports() from public;
grant execute on function app_purge_expired_data_exports() to restartix_app;

-- 4. The Portal names the clinic of each of the person's requests, also after an erasure removed
--    their record there. organizations is synced, and RLS must equal sync (the harness in
--    sync-rules/): like 0011's, this policy opens only inside the request that lists them, where the
--    server sets app.reading_own_data_requests.
create policy organizations_data_requests_read on organizations for select to restartix_app
  using (current_setting('app.reading_own_data_requests', true) = 'on'
    and id in (select r.organization_id from data_subject_requests r
               where r.requested_by = nullif(current_setting('app.principal_id', true), '')::uuid));
