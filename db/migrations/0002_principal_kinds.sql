-- Principals of every kind (1B.1): a human's time zone, AI agents, and service accounts with their
-- API keys. Runs as restartix_owner. None of the new tables is in the publication: service accounts
-- and keys are managed through /api/v1, never synced, and a key's hash never leaves the server.

-- 1. Humans get a time zone. Only its shape is checked here (an IANA name such as 'UTC',
--    'Europe/Bucharest' or 'America/Argentina/Buenos_Aires'); whether the zone exists is the
--    server's business, since the zone database changes more often than our schema.
alter table humans add column time_zone text not null default 'Europe/Bucharest'
  constraint humans_time_zone_shape
  check (length(time_zone) <= 64 and time_zone ~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$');

-- 2. principals.kind stays consistent, declaratively. Each kind's table carries its kind as a
--    constant column and references principals (id, kind): a service account cannot be attached to a
--    human's principal, a principal is in at most one kind's table, and a principal's kind cannot
--    change while its row exists (the foreign key refuses the update). Foreign-key checks bypass RLS,
--    so this holds whoever writes.
alter table principals add constraint principals_id_kind_key unique (id, kind);

alter table humans add column kind text not null default 'human' constraint humans_kind_check check (kind = 'human');
alter table humans add constraint humans_principal_kind_fkey
  foreign key (principal_id, kind) references principals (id, kind) on delete cascade;

-- 3. AI agents act for a human who answers for them. The owner references humans, whose rows are
--    exactly the principals of kind 'human' (above): an agent owned by a service account or another
--    agent is refused. Deleting a human who still owns agents is refused too, rather than leaving
--    agents nobody answers for.
create table agents (
  principal_id        uuid primary key,
  kind                text not null default 'agent' constraint agents_kind_check check (kind = 'agent'),
  owner_principal_id  uuid not null constraint agents_owner_is_human references humans (principal_id),
  -- Null for an agent that works for its owner across clinics.
  organization_id     uuid references organizations (id) on delete cascade,
  name                text not null check (length(btrim(name)) between 1 and 200),
  created_at          timestamptz not null default clock_timestamp(),
  constraint agents_principal_kind_fkey foreign key (principal_id, kind) references principals (id, kind) on delete cascade
);
create index agents_owner_idx on agents (owner_principal_id);
create index agents_organization_idx on agents (organization_id) where organization_id is not null;

-- 4. Service accounts: non-human principals of one clinic (integrations), authenticated by API keys.
create table service_accounts (
  principal_id     uuid primary key,
  kind             text not null default 'service_account' constraint service_accounts_kind_check check (kind = 'service_account'),
  organization_id  uuid not null references organizations (id) on delete cascade,
  name             text not null check (length(btrim(name)) between 1 and 200),
  created_by       uuid references humans (principal_id) on delete set null,
  created_at       timestamptz not null default clock_timestamp(),
  disabled_at      timestamptz,
  constraint service_accounts_principal_kind_fkey foreign key (principal_id, kind) references principals (id, kind) on delete cascade,
  -- Lets api_keys prove that a key's organisation is its service account's.
  constraint service_accounts_principal_organization_key unique (principal_id, organization_id)
);
create index service_accounts_organization_idx on service_accounts (organization_id);

-- 5. API keys. The full key `rx_<env>_<8 hex>_<43 base64url chars>` is shown once at creation; only
--    the visible prefix and the SHA-256 of the whole key are stored. A fast hash is the standard for
--    API keys because the secret is 32 random bytes: brute force is out of reach whatever the hash
--    speed, whereas a slow hash (scrypt) would put a deliberate CPU cost on every API request.
--    `permissions` holds permission strings of the organisation catalogue (sync-rules/permissions.ts);
--    the server checks membership of the catalogue, the database checks each string's shape.
create function permission_names_well_formed(names text[]) returns boolean
language sql immutable set search_path = pg_catalog as $$
  select coalesce(bool_and(coalesce(name ~ '^[a-z_]+\.[a-z_]+$', false)), false) from unnest(names) as name
$$;

create table api_keys (
  id                  uuid primary key default gen_random_uuid(),
  service_account_id  uuid not null,
  organization_id     uuid not null,
  name                text not null check (length(btrim(name)) between 1 and 200),
  prefix              text not null constraint api_keys_prefix_shape check (prefix ~ '^rx_(live|test)_[0-9a-f]{8}$'),
  secret_hash         bytea not null constraint api_keys_secret_hash_sha256 check (octet_length(secret_hash) = 32),
  permissions         text[] not null constraint api_keys_permissions_shape
                        check (cardinality(permissions) between 1 and 64 and permission_names_well_formed(permissions)),
  created_by          uuid references humans (principal_id) on delete set null,
  created_at          timestamptz not null default clock_timestamp(),
  expires_at          timestamptz,
  revoked_at          timestamptz,
  last_used_at        timestamptz,
  constraint api_keys_prefix_key unique (prefix),
  constraint api_keys_service_account_fkey foreign key (service_account_id, organization_id)
    references service_accounts (principal_id, organization_id) on delete cascade,
  constraint api_keys_expires_after_creation check (expires_at is null or expires_at > created_at)
);
create index api_keys_service_account_idx on api_keys (service_account_id);

-- Revocation is final, and its moment comes from the database clock whatever the server sent.
create function api_keys_guard() returns trigger language plpgsql as $$
begin
  if old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at then
    raise exception 'api key % is revoked; revocation is final', old.id
      using errcode = 'check_violation', constraint = 'api_keys_revocation_is_final';
  end if;
  if old.revoked_at is null and new.revoked_at is not null then
    new.revoked_at := clock_timestamp();
  end if;
  return new;
end $$;

create trigger api_keys_guard before update on api_keys
  for each row execute function api_keys_guard();

alter table agents enable row level security;
alter table agents force row level security;
alter table service_accounts enable row level security;
alter table service_accounts force row level security;
alter table api_keys enable row level security;
alter table api_keys force row level security;

-- 6. What the runtime role may do. Column-level grants: created_at, disabled_at and the kind columns
--    are never written by a request, and secret_hash can be inserted but never read back, not even
--    by the clinic's owner. agents gets no grant and no policy yet: invisible until a feature needs it.
grant insert (id, kind) on principals to restartix_app;
grant select on service_accounts to restartix_app;
grant insert (principal_id, organization_id, name, created_by) on service_accounts to restartix_app;
grant select (id, service_account_id, organization_id, name, prefix, permissions, created_by, created_at,
              expires_at, revoked_at, last_used_at) on api_keys to restartix_app;
grant insert (id, service_account_id, organization_id, name, prefix, secret_hash, permissions, expires_at, created_by)
  on api_keys to restartix_app;
grant update (revoked_at, last_used_at) on api_keys to restartix_app;

-- "The request acts for an owner or admin of this organisation": the predicate of every management
-- policy. A plain SQL function, so the planner inlines it and the organisation index stays usable.
create function app_manages_organization(org uuid) returns boolean language sql stable as $$
  select org = nullif(current_setting('app.organization_id', true), '')::uuid
     and coalesce(nullif(current_setting('app.membership_role', true), '') in ('owner', 'admin'), false)
$$;

-- Owners and admins of the organisation the request works in create service accounts and see them,
-- and create, see and revoke their keys (never the hash: no column grant). A row's creator is the
-- acting principal, so the audit trail and the row agree.
create policy principals_create_service_account on principals for insert to restartix_app
  with check (
    kind = 'service_account'
    and nullif(current_setting('app.organization_id', true), '') is not null
    and coalesce(nullif(current_setting('app.membership_role', true), '') in ('owner', 'admin'), false));

create policy service_accounts_org_admin_read on service_accounts for select to restartix_app
  using (app_manages_organization(organization_id));
create policy service_accounts_org_admin_create on service_accounts for insert to restartix_app
  with check (app_manages_organization(organization_id)
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid);

create policy api_keys_org_admin_read on api_keys for select to restartix_app
  using (app_manages_organization(organization_id));
create policy api_keys_org_admin_create on api_keys for insert to restartix_app
  with check (app_manages_organization(organization_id)
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy api_keys_org_admin_revoke on api_keys for update to restartix_app
  using (app_manages_organization(organization_id))
  with check (app_manages_organization(organization_id));

-- A service account sees its own row, and the key it authenticated with: app.api_key_id, set by the
-- server transaction-locally once the key's hash matched (server/api-keys/). That is what the
-- locations policy below checks, and how the key stamps its own last use.
create policy service_accounts_self on service_accounts for select to restartix_app
  using (principal_id = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy api_keys_self_read on api_keys for select to restartix_app
  using (id = nullif(current_setting('app.api_key_id', true), '')::uuid
    and service_account_id = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy api_keys_self_touch on api_keys for update to restartix_app
  using (id = nullif(current_setting('app.api_key_id', true), '')::uuid
    and service_account_id = nullif(current_setting('app.principal_id', true), '')::uuid)
  with check (id = nullif(current_setting('app.api_key_id', true), '')::uuid
    and service_account_id = nullif(current_setting('app.principal_id', true), '')::uuid);

-- 7. Locations read through an API key. The generated locations_access policy admits members only
--    (app.membership_role), and a service account has no membership. Until the access-rule language
--    can say "a key with permission P", this extra permissive policy admits a request authenticated
--    with a key that is live (not revoked, not expired, its service account not disabled), belongs to
--    the request's principal and organisation, and holds 'locations.read'. It trusts only the key id
--    the server set after the hash matched; permissions, expiry and revocation are read from the key's
--    own row in the same snapshot, so a revoked key stops reading at once. The scalar subquery is
--    uncorrelated: Postgres evaluates it once per statement (an InitPlan), not once per row.
create policy locations_api_key_read on locations for select to restartix_app
  using (organization_id = (
    select k.organization_id
    from api_keys k
    join service_accounts sa on sa.principal_id = k.service_account_id
    where k.id = nullif(current_setting('app.api_key_id', true), '')::uuid
      and k.service_account_id = nullif(current_setting('app.principal_id', true), '')::uuid
      and k.organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
      and k.revoked_at is null
      and (k.expires_at is null or k.expires_at > now())
      and sa.disabled_at is null
      and 'locations.read' = any (k.permissions)));

-- 8. Looking a key up by its prefix, before any principal is known. The runtime role cannot do it:
--    every policy above keys on a principal or organisation. This function can, narrowly:
--    - SECURITY DEFINER, owned by restartix_owner, search_path pinned (pg_temp last) and every name
--      schema-qualified, so a caller cannot substitute its own objects;
--    - FORCE ROW LEVEL SECURITY applies to the owner too, so the owner gets no blanket access: the
--      two `*_lookup_by_prefix` policies admit it to the key with one exact prefix, named by
--      app.api_key_lookup, and to that key's service account. The function sets that setting itself
--      and clears it right after its one query (a SET clause on the function would restore it by
--      itself, but setting an app.* placeholder there needs a superuser). Nobody else can use the
--      setting: the policies are for restartix_owner only, which no request ever becomes;
--    - it refuses to run once a principal is set, so a request acting for someone cannot use it to
--      read other keys' metadata; it returns one row at most, with the state computed by the
--      database clock; the server compares the hash in constant time (server/api-keys/verify-api-key.ts);
--    - only the runtime role may execute it (functions are executable by PUBLIC by default).
create policy api_keys_lookup_by_prefix on api_keys for select to restartix_owner
  using (prefix = nullif(current_setting('app.api_key_lookup', true), ''));
create policy service_accounts_lookup_by_prefix on service_accounts for select to restartix_owner
  using (principal_id in (
    select k.service_account_id from api_keys k
    where k.prefix = nullif(current_setting('app.api_key_lookup', true), '')));

create function api_key_for_prefix(key_prefix text)
returns table (
  api_key_id          uuid,
  service_account_id  uuid,
  organization_id     uuid,
  permissions         text[],
  secret_hash         bytea,
  state               text,
  last_used_at        timestamptz
)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if nullif(pg_catalog.current_setting('app.principal_id', true), '') is not null then
    raise exception 'api_key_for_prefix is for authentication, before any principal is known'
      using errcode = 'insufficient_privilege';
  end if;
  perform pg_catalog.set_config('app.api_key_lookup', key_prefix, true);
  -- RETURN QUERY runs the query here, so the window can close right after it. On an error the
  -- (sub)transaction rolls back and takes the setting with it.
  return query
    select k.id, k.service_account_id, k.organization_id, k.permissions, k.secret_hash,
      case
        when k.revoked_at is not null then 'revoked'
        when k.expires_at is not null and k.expires_at <= pg_catalog.now() then 'expired'
        when sa.disabled_at is not null then 'disabled'
        else 'active'
      end,
      k.last_used_at
    from public.api_keys k
    join public.service_accounts sa on sa.principal_id = k.service_account_id
    where k.prefix = key_prefix;
  perform pg_catalog.set_config('app.api_key_lookup', '', true);
end $$;

revoke all on function api_key_for_prefix(text) from public;
grant execute on function api_key_for_prefix(text) to restartix_app;
