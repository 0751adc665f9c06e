-- Principals, organisations, memberships, locations and the append-only audit log.
-- Runs as restartix_owner. RLS policies are not here: they are generated from sync-rules/ into
-- db/policies.generated.sql and applied after every migration run.

create table principals (
  id          uuid primary key default gen_random_uuid(),
  kind        text not null check (kind in ('human', 'agent', 'service_account')),
  created_at  timestamptz not null default clock_timestamp()
);

create table humans (
  principal_id  uuid primary key references principals (id) on delete cascade,
  email         text not null check (email = lower(email) and email like '%_@_%'),
  name          text not null check (length(btrim(name)) between 1 and 200),
  locale        text not null default 'ro' check (locale in ('ro', 'en')),
  platform_role text check (platform_role in ('superadmin', 'support_engineer')),
  created_at    timestamptz not null default clock_timestamp(),
  constraint humans_email_key unique (email)
);

create table organizations (
  id            uuid primary key default gen_random_uuid(),
  -- The slug lives in DNS (subdomains), so it never changes once created.
  slug          text not null check (slug ~ '^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$'),
  name          text not null check (length(btrim(name)) between 1 and 200),
  tenancy_mode  text not null default 'shared' check (tenancy_mode in ('shared', 'dedicated')),
  activated_at  timestamptz,
  created_at    timestamptz not null default clock_timestamp(),
  updated_at    timestamptz not null default clock_timestamp(),
  constraint organizations_slug_key unique (slug)
);
-- Drafts (not yet activated) are what onboarding lists.
create index organizations_draft_idx on organizations (created_at) where activated_at is null;

create table memberships (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  principal_id    uuid not null references principals (id) on delete cascade,
  role            text not null check (role in ('owner', 'admin', 'staff')),
  created_at      timestamptz not null default clock_timestamp(),
  constraint memberships_organization_principal_key unique (organization_id, principal_id)
);
create index memberships_principal_idx on memberships (principal_id);

create table locations (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  -- Unlike an organisation's, a location's slug may change: it only appears in paths.
  slug            text not null check (slug ~ '^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$'),
  name            text not null check (length(btrim(name)) between 1 and 200),
  address         text not null default '' check (length(address) <= 500),
  city            text not null default '' check (length(city) <= 200),
  -- Free text on purpose: no ISO 3166-1 enforcement at this layer.
  country         text not null default '' check (length(country) <= 100),
  status          text not null default 'active' check (status in ('active', 'inactive', 'closed')),
  closed_at       timestamptz,
  created_at      timestamptz not null default clock_timestamp(),
  updated_at      timestamptz not null default clock_timestamp(),
  constraint locations_slug_key unique (organization_id, slug),
  constraint locations_closed_at_matches_status check ((status = 'closed') = (closed_at is not null))
);

-- The database owns the lifecycle: active <-> inactive, closed is terminal, and the moment of
-- closing is stamped here rather than trusted from a client clock.
create function locations_lifecycle() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    new.created_at := clock_timestamp();
    new.updated_at := new.created_at;
    new.closed_at := case when new.status = 'closed' then clock_timestamp() end;
    return new;
  end if;
  if old.status = 'closed' then
    raise exception 'location % is closed; a closed location cannot change', old.id
      using errcode = 'check_violation', constraint = 'locations_closed_is_terminal';
  end if;
  new.created_at := old.created_at;
  new.updated_at := clock_timestamp();
  new.closed_at := case when new.status = 'closed' then clock_timestamp() end;
  return new;
end $$;

create trigger locations_lifecycle before insert or update on locations
  for each row execute function locations_lifecycle();

-- Timestamps come from the database clock, whatever a client sent.
create function stamp_timestamps() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    new.created_at := clock_timestamp();
    new.updated_at := new.created_at;
  else
    new.created_at := old.created_at;
    new.updated_at := clock_timestamp();
  end if;
  return new;
end $$;

create trigger organizations_stamp before insert or update on organizations
  for each row execute function stamp_timestamps();

-- Append-only. Hash chaining and monthly partitions come with the audit issue.
create table audit_log (
  id                  bigint generated always as identity primary key,
  occurred_at         timestamptz not null default clock_timestamp(),
  request_id          text not null,
  actor_principal_id  uuid not null,
  organization_id     uuid,
  action              text not null,
  entity_type         text not null,
  entity_id           text not null,
  write_id            uuid,
  changes             jsonb not null default '{}'::jsonb
);
create index audit_log_organization_idx on audit_log (organization_id, occurred_at);
create index audit_log_write_idx on audit_log (write_id) where write_id is not null;

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
end $$;

create trigger audit_log_no_update before update or delete on audit_log
  for each statement execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();

-- One row per client-generated write id: a replayed write (offline outbox, reload, retry) finds
-- its receipt and becomes a no-op, so every write lands exactly once.
create table write_receipts (
  write_id      uuid primary key,
  principal_id  uuid not null,
  mutator       text not null,
  applied_at    timestamptz not null default clock_timestamp()
);

-- Deny by default: every table has RLS enabled and forced, so even the owner is filtered.
alter table principals enable row level security;
alter table principals force row level security;
alter table humans enable row level security;
alter table humans force row level security;
alter table organizations enable row level security;
alter table organizations force row level security;
alter table memberships enable row level security;
alter table memberships force row level security;
alter table locations enable row level security;
alter table locations force row level security;
alter table audit_log enable row level security;
alter table audit_log force row level security;
alter table write_receipts enable row level security;
alter table write_receipts force row level security;

grant usage on schema public to restartix_app;
grant select on principals, humans to restartix_app;
grant select, insert, update on organizations, memberships, locations to restartix_app;
grant insert on audit_log to restartix_app;
grant select, insert on write_receipts to restartix_app;

-- zero-cache copies the synced tables once at initial sync, then follows the WAL.
grant usage on schema public to restartix_zero;
grant select on organizations, memberships, locations, humans to restartix_zero;

create publication restartix_sync for table
  organizations,
  memberships,
  locations,
  humans (principal_id, email, name, locale);

-- Policies of the tables that never sync (the synced ones are generated from sync-rules/).
create policy audit_log_append on audit_log for insert to restartix_app
  with check (actor_principal_id::text = nullif(current_setting('app.principal_id', true), ''));
create policy write_receipts_own on write_receipts to restartix_app
  using (principal_id::text = nullif(current_setting('app.principal_id', true), ''))
  with check (principal_id::text = nullif(current_setting('app.principal_id', true), ''));

-- Zero's server adapter reads the catalogue to check its schema against ours before each mutate
-- transaction, as the api login (which inherits nothing). REFERENCES makes the columns visible to
-- that check and allows nothing else: the api role cannot create tables.
grant references on organizations, memberships, locations, humans to restartix_api;
