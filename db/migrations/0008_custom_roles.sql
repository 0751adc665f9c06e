-- Custom roles (plan 1B.3) and member management.
--
-- A clinic may define its own roles as named subsets of the organisation permission catalogue
-- (sync-rules/permissions.ts); a membership holds either a system role or, with role = 'custom', one
-- of its clinic's custom roles. The server resolves a request's permissions once and hands them to
-- Postgres as the transaction-local setting app.permissions, so policies below ask for a permission,
-- not for a role name.

-- 1. The catalogue, as the database knows it. db/custom-roles.pg.test.ts fails when this list and
--    ORGANIZATION_PERMISSIONS differ, so a new permission is added in both places in one commit.
create function app_organization_permissions() returns text[] language sql immutable as $$
  select array['locations.read', 'locations.manage', 'members.read', 'members.manage', 'roles.manage',
               'patients.read', 'patients.manage', 'service_accounts.manage', 'audit.read',
               'billing.read', 'billing.manage']
$$;

-- A JSON array of distinct catalogue permissions. jsonb rather than text[] because Zero syncs and
-- writes it as plain JSON.
create function app_is_permission_list(list jsonb) returns boolean language sql immutable as $$
  select jsonb_typeof(list) = 'array'
     and not exists (select 1 from jsonb_array_elements(list) e
                     where jsonb_typeof(e) <> 'string' or not (e #>> '{}' = any (app_organization_permissions())))
     and (select count(*) = count(distinct e) from jsonb_array_elements(list) e)
$$;

-- 2. What the request may do in the organisation it works in (empty outside one).
create function app_permissions() returns text[] language sql stable as $$
  select coalesce(string_to_array(nullif(current_setting('app.permissions', true), ''), ','), array[]::text[])
$$;

create function app_can(org uuid, permission text) returns boolean language sql stable as $$
  select org = nullif(current_setting('app.organization_id', true), '')::uuid
     and permission = any (app_permissions())
$$;

-- Grants nothing the acting person lacks: the guard against creating a role more powerful than oneself.
create function app_within_own_permissions(list jsonb) returns boolean language sql stable as $$
  select not exists (select 1 from jsonb_array_elements_text(list) p where not (p = any (app_permissions())))
$$;

-- 3. Custom roles.
create table organization_roles (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name            text not null check (length(btrim(name)) between 1 and 80),
  description     text not null default '' check (length(description) <= 500),
  permissions     jsonb not null default '[]' check (app_is_permission_list(permissions)),
  created_by      uuid not null references principals (id),
  updated_by      uuid not null references principals (id),
  created_at      timestamptz not null default clock_timestamp(),
  updated_at      timestamptz not null default clock_timestamp(),
  constraint organization_roles_id_organization_key unique (id, organization_id)
);
-- Names are unique per clinic regardless of case and spacing, as people read them.
create unique index organization_roles_name_key on organization_roles (organization_id, lower(btrim(name)));

alter table organization_roles enable row level security;
alter table organization_roles force row level security;

-- Synced to the clinic's members, so that a member list can name everyone's role. The server's login
-- needs REFERENCES to see the table when Zero checks its schema against the database (as in 0001).
grant select on organization_roles to restartix_zero;
grant references on organization_roles to restartix_api;
alter publication restartix_sync add table organization_roles;

-- 4. Memberships hold a system role or a custom role of the same clinic; a role in use cannot be
--    deleted. updated_at/updated_by say who last changed a member's role.
alter table memberships add column custom_role_id uuid;
alter table memberships add column updated_at timestamptz not null default clock_timestamp();
alter table memberships add column updated_by uuid references principals (id);
alter table memberships add constraint memberships_custom_role_fkey foreign key (custom_role_id, organization_id)
  references organization_roles (id, organization_id) on delete restrict;
alter table memberships drop constraint memberships_role_check;
alter table memberships add constraint memberships_role_check
  check (role in ('owner', 'admin', 'specialist', 'receptionist', 'billing', 'staff', 'custom'));
alter table memberships add constraint memberships_custom_role_matches
  check ((role = 'custom') = (custom_role_id is not null));
create index memberships_custom_role_idx on memberships (custom_role_id) where custom_role_id is not null;

-- Every clinic keeps an owner: the last one can be neither demoted nor removed, whoever asks. Checked
-- after each statement, so ownership is handed over by promoting the successor first.
create function memberships_keep_an_owner() returns trigger language plpgsql as $$
begin
  if old.role = 'owner'
     and exists (select 1 from organizations where id = old.organization_id)
     and not exists (select 1 from memberships where organization_id = old.organization_id and role = 'owner') then
    raise exception 'an organisation must keep at least one owner' using errcode = 'check_violation', constraint = 'memberships_keep_an_owner';
  end if;
  return null;
end $$;
create constraint trigger memberships_keep_an_owner after update or delete on memberships
  for each row execute function memberships_keep_an_owner();

-- 5. What the runtime role may do. Reads come from the generated access policy (members of the clinic).
grant select on organization_roles to restartix_app;
-- Timestamps come from the server run of the mutator (Zero writes the row it was given).
grant insert (id, organization_id, name, description, permissions, created_by, updated_by, created_at, updated_at) on organization_roles to restartix_app;
grant update (name, description, permissions, updated_by, updated_at) on organization_roles to restartix_app;
grant delete on organization_roles to restartix_app;
grant update (role, custom_role_id, updated_by, updated_at) on memberships to restartix_app;
grant delete on memberships to restartix_app;

-- 6. Restrictive policies: on top of the generated access policy, every write needs the permission,
--    in the clinic the request works in, stamped with the acting principal.
create policy organization_roles_managers_insert on organization_roles as restrictive for insert to restartix_app
  with check (app_can(organization_id, 'roles.manage') and app_within_own_permissions(permissions)
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid
    and updated_by = created_by);
create policy organization_roles_managers_update on organization_roles as restrictive for update to restartix_app
  using (app_can(organization_id, 'roles.manage') and app_within_own_permissions(permissions))
  with check (app_can(organization_id, 'roles.manage') and app_within_own_permissions(permissions)
    and updated_by = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy organization_roles_managers_delete on organization_roles as restrictive for delete to restartix_app
  using (app_can(organization_id, 'roles.manage') and app_within_own_permissions(permissions));

-- Managing members: never oneself (no self-promotion, no locking oneself out by accident), and only
-- an owner touches an owner's membership or makes someone an owner.
create policy memberships_managers_update on memberships as restrictive for update to restartix_app
  using (app_can(organization_id, 'members.manage')
    and principal_id <> nullif(current_setting('app.principal_id', true), '')::uuid
    and (role <> 'owner' or current_setting('app.membership_role', true) = 'owner'))
  with check (app_can(organization_id, 'members.manage')
    and (role <> 'owner' or current_setting('app.membership_role', true) = 'owner')
    and updated_by = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy memberships_managers_delete on memberships as restrictive for delete to restartix_app
  using (app_can(organization_id, 'members.manage')
    and principal_id <> nullif(current_setting('app.principal_id', true), '')::uuid
    and (role <> 'owner' or current_setting('app.membership_role', true) = 'owner'));

-- 7. The management policies of 0002 and 0006 ask for the permission they are about instead of the
--    owner/admin role names, so custom roles work there too.
drop policy service_accounts_org_admin_read on service_accounts;
drop policy service_accounts_org_admin_create on service_accounts;
drop policy api_keys_org_admin_read on api_keys;
drop policy api_keys_org_admin_create on api_keys;
drop policy api_keys_org_admin_revoke on api_keys;
drop policy principals_create_service_account on principals;

create policy principals_create_service_account on principals for insert to restartix_app
  with check (kind = 'service_account'
    and 'service_accounts.manage' = any (app_permissions())
    and nullif(current_setting('app.organization_id', true), '') is not null);
create policy service_accounts_managers_read on service_accounts for select to restartix_app
  using (app_can(organization_id, 'service_accounts.manage'));
create policy service_accounts_managers_create on service_accounts for insert to restartix_app
  with check (app_can(organization_id, 'service_accounts.manage')
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy api_keys_managers_read on api_keys for select to restartix_app
  using (app_can(organization_id, 'service_accounts.manage'));
create policy api_keys_managers_create on api_keys for insert to restartix_app
  with check (app_can(organization_id, 'service_accounts.manage')
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy api_keys_managers_revoke on api_keys for update to restartix_app
  using (app_can(organization_id, 'service_accounts.manage'))
  with check (app_can(organization_id, 'service_accounts.manage'));

drop policy invitations_managers_read on invitations;
drop policy invitations_managers_create on invitations;
drop policy invitations_managers_update on invitations;
drop policy invitation_tokens_managers on invitation_tokens;
drop policy share_links_managers_read on share_links;
drop policy share_links_managers_create on share_links;
drop policy share_links_managers_update on share_links;

create policy invitations_managers_read on invitations for select to restartix_app
  using (app_can(organization_id, 'members.manage'));
create policy invitations_managers_create on invitations for insert to restartix_app
  with check (app_can(organization_id, 'members.manage')
    and (role is distinct from 'owner' or current_setting('app.membership_role', true) = 'owner')
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy invitations_managers_update on invitations for update to restartix_app
  using (app_can(organization_id, 'members.manage'))
  with check (app_can(organization_id, 'members.manage'));
create policy invitation_tokens_managers on invitation_tokens to restartix_app
  using (app_can(organization_id, 'members.manage'))
  with check (app_can(organization_id, 'members.manage'));
create policy share_links_managers_read on share_links for select to restartix_app
  using (app_can(organization_id, 'members.manage'));
create policy share_links_managers_create on share_links for insert to restartix_app
  with check (app_can(organization_id, 'members.manage')
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy share_links_managers_update on share_links for update to restartix_app
  using (app_can(organization_id, 'members.manage'))
  with check (app_can(organization_id, 'members.manage'));

-- Nothing uses the role-name predicate any more.
drop function app_manages_organization(uuid);

-- 8. The identity service decides who needs a second factor before sending a sign-in link, and a
--    custom role that manages people or keys counts (server/auth/better-auth.ts).
grant select (id, organization_id, permissions) on organization_roles to restartix_auth;
create policy organization_roles_identity_read on organization_roles for select to restartix_auth using (true);

-- 9. The identity service creates a person's humans row at sign-up with email and name only; with a
--    table-wide INSERT it could also have written a platform role. Column grants close that.
revoke insert on humans from restartix_auth;
grant insert (principal_id, email, name) on humans to restartix_auth;
