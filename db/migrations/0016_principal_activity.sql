-- Last seen, per principal and organisation (issue 4, item 8). The server records it when a request
-- authenticates, at most once a minute per principal and organisation (server/activity/), as the
-- principal itself under RLS; a clinic's members.manage holders read their clinic's rows. Not synced:
-- it changes every minute for every open app and no screen needs it live. Runs as restartix_owner.

create table principal_activity (
  id               uuid primary key default gen_random_uuid(),
  principal_id     uuid not null references principals (id) on delete cascade,
  -- Null: seen outside any clinic (the Console, a patient's Portal home).
  organization_id  uuid references organizations (id) on delete cascade,
  -- First seen.
  created_at       timestamptz not null default clock_timestamp(),
  last_seen_at     timestamptz not null default clock_timestamp(),
  constraint principal_activity_principal_organization_key unique nulls not distinct (principal_id, organization_id)
);
create index principal_activity_organization_idx on principal_activity (organization_id, last_seen_at desc);

-- The moments come from the database clock, whatever a request sent.
create function principal_activity_stamp() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    new.created_at := clock_timestamp();
  else
    new.created_at := old.created_at;
  end if;
  new.last_seen_at := clock_timestamp();
  return new;
end $$;

create trigger principal_activity_stamp before insert or update on principal_activity
  for each row execute function principal_activity_stamp();

alter table principal_activity enable row level security;
alter table principal_activity force row level security;

grant select on principal_activity to restartix_app;
grant insert (principal_id, organization_id) on principal_activity to restartix_app;
grant update (last_seen_at) on principal_activity to restartix_app;

-- A request records only itself, in the organisation it acts in (or none).
create function app_is_own_activity(principal uuid, org uuid) returns boolean language sql stable as $$
  select principal = nullif(current_setting('app.principal_id', true), '')::uuid
     and org is not distinct from nullif(current_setting('app.organization_id', true), '')::uuid
$$;

create policy principal_activity_own_insert on principal_activity for insert to restartix_app
  with check (app_is_own_activity(principal_id, organization_id));
create policy principal_activity_own_update on principal_activity for update to restartix_app
  using (app_is_own_activity(principal_id, organization_id))
  with check (app_is_own_activity(principal_id, organization_id));
-- Everyone reads their own rows (the upsert needs it too); members.manage holders read their clinic's.
create policy principal_activity_read on principal_activity for select to restartix_app
  using (principal_id = nullif(current_setting('app.principal_id', true), '')::uuid
    or app_can(organization_id, 'members.manage'));
