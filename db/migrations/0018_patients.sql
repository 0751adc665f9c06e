-- Patients (issue 5, ADR 0019). A person is one patient_profiles row, owned by their account once
-- they have one; each clinic keeps its own patients row about that person. A clinic sees only its own
-- record, and the person's profile only once the record says it was shared with that clinic; the
-- person sees their records in every clinic. Both tables are synced (the access rules in
-- sync-rules/access-rules.ts generate the permissive read policies); what writes may do is held
-- here by grants, restrictive policies and triggers, so raw SQL by the runtime role meets the same
-- rules as the mutators.
--
-- A patient record is soft-deleted: RLS and sync hide it at once, the clinic's patient managers can
-- restore it from the trash for a retention window, and a maintenance job purges it after that.

-- 1. patients.delete joins the catalogue (owners and admins hold it; see sync-rules/permissions.ts).
create or replace function app_organization_permissions() returns text[] language sql immutable as $$
  select array['locations.read', 'locations.manage', 'members.read', 'members.manage', 'roles.manage',
               'patients.read', 'patients.manage', 'patients.delete', 'service_accounts.manage', 'audit.read',
               'billing.read', 'billing.manage', 'files.read', 'files.manage']
$$;

-- 2. The person.
create table patient_profiles (
  id                          uuid primary key default gen_random_uuid(),
  -- The person's account. Null while a clinic holds the profile for someone who has none yet.
  principal_id                uuid unique references humans (principal_id),
  -- The clinic that created an unclaimed profile, and edits it until the person claims it.
  managed_by_organization_id  uuid references organizations (id) on delete cascade,
  given_name                  text not null check (length(btrim(given_name)) between 1 and 200),
  family_name                 text not null check (length(btrim(family_name)) between 1 and 200),
  birth_date                  date check (birth_date between date '1900-01-01' and current_date),
  sex                         text check (sex in ('female', 'male', 'other', 'undisclosed')),
  email                       text check (email ~ '^[^@\s]+@[^@\s]+$' and length(email) <= 320),
  phone                       text check (phone ~ '^\+?[0-9 ()-]{6,32}$'),
  locale                      text not null default 'ro' check (locale in ('ro', 'en')),
  created_at                  timestamptz not null default now(),
  updated_at                  timestamptz not null default now(),
  created_by                  uuid not null references principals (id),
  updated_by                  uuid not null references principals (id),
  constraint patient_profiles_owned_once check ((principal_id is null) <> (managed_by_organization_id is null))
);
create index patient_profiles_managed_idx on patient_profiles (managed_by_organization_id) where managed_by_organization_id is not null;

-- 3. One clinic's record of the person.
create table patients (
  id                  uuid primary key default gen_random_uuid(),
  organization_id     uuid not null references organizations (id) on delete cascade,
  -- Deferred: a clinic creating a patient writes the record first, then the profile it may see
  -- through that record (RLS checks each row as it is written).
  patient_profile_id  uuid not null references patient_profiles (id) deferrable initially deferred,
  -- The person's account, as their profile names it (null while unclaimed). Kept here too so that
  -- the person's read rule on records need not go through profiles, whose rule goes through records.
  principal_id        uuid references humans (principal_id),
  status              text not null default 'active' check (status in ('active', 'inactive')),
  external_ref        text check (length(external_ref) between 1 and 100),
  -- From when the clinic may see the person's profile: at once for a patient the clinic created,
  -- after onboarding (the consent block) for one who joined by link or invitation.
  profile_shared_at   timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  created_by          uuid not null references principals (id),
  updated_by          uuid not null references principals (id),
  deleted_at          timestamptz,
  deleted_by          uuid references principals (id),
  constraint patients_one_record_per_person unique (organization_id, patient_profile_id),
  constraint patients_deleted_by_when_deleted check ((deleted_at is null) = (deleted_by is null))
);
create index patients_profile_idx on patients (patient_profile_id);
create index patients_principal_idx on patients (principal_id) where principal_id is not null;
create index patients_organization_idx on patients (organization_id) where deleted_at is null;
create index patients_deleted_idx on patients (deleted_at) where deleted_at is not null;

-- 4. What never changes, and the database's clock on what does. A deleted record is frozen until it
--    is restored; deleting and restoring change nothing else.
create function patients_guard() returns trigger language plpgsql as $$
begin
  if new.organization_id <> old.organization_id or new.created_at <> old.created_at or new.created_by <> old.created_by then
    raise exception 'a patient record stays in its clinic' using errcode = 'check_violation', constraint = 'patients_immutable';
  end if;
  if (new.patient_profile_id <> old.patient_profile_id or new.principal_id is distinct from old.principal_id)
     and current_setting('app.patient_linking', true) is distinct from 'on' then
    raise exception 'a patient record changes person only when the person claims it' using errcode = 'check_violation', constraint = 'patients_immutable';
  end if;
  if old.deleted_at is not null and new.deleted_at is not null then
    raise exception 'patient % is deleted; restore it first', old.id using errcode = 'check_violation', constraint = 'patients_deleted_is_frozen';
  end if;
  if new.profile_shared_at is distinct from old.profile_shared_at
     and (old.profile_shared_at is not null or current_setting('app.patient_sharing', true) is distinct from 'on') then
    raise exception 'a patient shares their profile with a clinic by completing onboarding' using errcode = 'check_violation', constraint = 'patients_profile_sharing';
  end if;
  if old.deleted_at is null and new.deleted_at is not null then
    new.deleted_at := clock_timestamp();
  end if;
  new.updated_at := clock_timestamp();
  return new;
end $$;
create trigger patients_guard before update on patients for each row execute function patients_guard();

create function patient_profiles_guard() returns trigger language plpgsql as $$
begin
  if new.created_at <> old.created_at or new.created_by <> old.created_by then
    raise exception 'when a profile was created does not change' using errcode = 'check_violation', constraint = 'patient_profiles_immutable';
  end if;
  -- An account, once it holds the profile, keeps it.
  if old.principal_id is not null and new.principal_id is distinct from old.principal_id then
    raise exception 'a claimed profile belongs to its person' using errcode = 'check_violation', constraint = 'patient_profiles_immutable';
  end if;
  if old.principal_id is null and new.principal_id is not null and current_setting('app.patient_linking', true) is distinct from 'on' then
    raise exception 'a profile is claimed only by accepting the clinic''s invitation' using errcode = 'check_violation', constraint = 'patient_profiles_immutable';
  end if;
  new.updated_at := clock_timestamp();
  return new;
end $$;
create trigger patient_profiles_guard before update on patient_profiles for each row execute function patient_profiles_guard();

-- Whatever a client's clock said, a row is created when the database says; a record the clinic
-- creates is shared with it then too.
create function patients_stamp_created() returns trigger language plpgsql as $$
begin
  new.created_at := clock_timestamp();
  new.updated_at := new.created_at;
  if tg_table_name = 'patients' then
    if new.profile_shared_at is not null then
      new.profile_shared_at := new.created_at;
    end if;
  end if;
  return new;
end $$;
create trigger patients_stamp_created before insert on patients for each row execute function patients_stamp_created();
create trigger patient_profiles_stamp_created before insert on patient_profiles for each row execute function patients_stamp_created();

alter table patient_profiles enable row level security;
alter table patient_profiles force row level security;
alter table patients enable row level security;
alter table patients force row level security;

-- 5. Grants. The runtime role never deletes: only the purge does.
grant select on patient_profiles, patients to restartix_app;
grant insert (id, managed_by_organization_id, given_name, family_name, birth_date, sex, email, phone, locale,
  created_at, updated_at, created_by, updated_by) on patient_profiles to restartix_app;
grant update (given_name, family_name, birth_date, sex, email, phone, locale, updated_at, updated_by) on patient_profiles to restartix_app;
grant insert (id, organization_id, patient_profile_id, status, external_ref, profile_shared_at,
  created_at, updated_at, created_by, updated_by) on patients to restartix_app;
grant update (status, external_ref, updated_at, updated_by, deleted_at, deleted_by) on patients to restartix_app;

-- 6. Writes (the generated *_access policies are the permissive read-and-write floor: a row the
--    principal cannot see, they cannot write). Restrictive, so every write also passes these.
--    A clinic creates records and unclaimed profiles with patients.manage, stamped with the actor;
--    a record it creates is shared with it at once (it typed the details in itself).
create policy patients_write_insert on patients as restrictive for insert to restartix_app
  with check (app_can(organization_id, 'patients.manage') and deleted_at is null
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid and updated_by = created_by);
create policy patients_write_update on patients as restrictive for update to restartix_app
  using (app_can(organization_id, 'patients.manage'))
  with check (app_can(organization_id, 'patients.manage')
    and updated_by = nullif(current_setting('app.principal_id', true), '')::uuid
    and (deleted_at is null or (app_can(organization_id, 'patients.delete') and deleted_by = updated_by)));

-- Soft delete and restore: the new row of a deletion and the old row of a restoration are deleted
-- rows, which the generated policy hides. These admit them for patients.delete holders, the restore
-- and the trash only inside a transaction the server marks with app.patients_deleted = 'visible'.
create policy patients_soft_delete on patients for update to restartix_app
  using (deleted_at is null and app_can(organization_id, 'patients.delete'))
  with check (deleted_at is not null and app_can(organization_id, 'patients.delete'));
create policy patients_trash_read on patients for select to restartix_app
  using (deleted_at is not null and app_can(organization_id, 'patients.delete')
    and current_setting('app.patients_deleted', true) = 'visible');
-- The trash names whom each record was about, if the clinic could see that profile before.
create policy patient_profiles_trash_read on patient_profiles for select to restartix_app
  using (current_setting('app.patients_deleted', true) = 'visible'
    and exists (select 1 from patients p where p.patient_profile_id = patient_profiles.id and p.deleted_at is not null
                and p.profile_shared_at is not null and app_can(p.organization_id, 'patients.delete')));
create policy patients_trash_restore on patients for update to restartix_app
  using (deleted_at is not null and app_can(organization_id, 'patients.delete')
    and current_setting('app.patients_deleted', true) = 'visible')
  with check (deleted_at is null and app_can(organization_id, 'patients.delete'));

create policy patient_profiles_write_insert on patient_profiles as restrictive for insert to restartix_app
  with check (managed_by_organization_id is not null and app_can(managed_by_organization_id, 'patients.manage')
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid and updated_by = created_by);
-- The person edits their own profile; a clinic edits only the unclaimed profiles it manages.
create policy patient_profiles_write_update on patient_profiles as restrictive for update to restartix_app
  using (principal_id = nullif(current_setting('app.principal_id', true), '')::uuid
    or (principal_id is null and app_can(managed_by_organization_id, 'patients.manage')))
  with check (updated_by = nullif(current_setting('app.principal_id', true), '')::uuid
    and (principal_id = updated_by or (principal_id is null and app_can(managed_by_organization_id, 'patients.manage'))));
-- 7. Owner-only windows for the functions below (FORCE ROW LEVEL SECURITY binds the owner too), each
--    opened and closed by the function itself, as in 0010 and 0015.
create policy patients_owner_window on patients for all to restartix_owner
  using (pg_catalog.current_setting('app.patients_owner_window', true) = 'open')
  with check (pg_catalog.current_setting('app.patients_owner_window', true) = 'open');
create policy patient_profiles_owner_window on patient_profiles for all to restartix_owner
  using (pg_catalog.current_setting('app.patients_owner_window', true) = 'open')
  with check (pg_catalog.current_setting('app.patients_owner_window', true) = 'open');
-- What enrolment reads to decide and to name the person: who joined or accepted, and their account.
create policy share_link_joins_owner_window on share_link_joins for select to restartix_owner
  using (pg_catalog.current_setting('app.patients_owner_window', true) = 'open');
create policy invitations_owner_window on invitations for select to restartix_owner
  using (pg_catalog.current_setting('app.patients_owner_window', true) = 'open');
create policy humans_owner_window on humans for select to restartix_owner
  using (pg_catalog.current_setting('app.patients_owner_window', true) = 'open');

-- A record names a person the clinic created (its unclaimed profile) or the person who enrolled
-- themself by joining (below); never someone else's profile found some other way. Checked at
-- commit: the clinic's own record and profile are written in either order.
create function patients_person_check() returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  known boolean;
begin
  perform pg_catalog.set_config('app.patients_owner_window', 'open', true);
  select exists (select 1 from public.patient_profiles pp where pp.id = new.patient_profile_id
                  and pp.principal_id is not distinct from new.principal_id
                  and (pp.managed_by_organization_id = new.organization_id or pp.principal_id = new.created_by))
    into known;
  perform pg_catalog.set_config('app.patients_owner_window', '', true);
  if not known then
    raise exception 'a clinic records only a person it created or who joined it'
      using errcode = 'insufficient_privilege', constraint = 'patients_person_known';
  end if;
  return null;
end $$;
create constraint trigger patients_person_check after insert on patients
  deferrable initially deferred for each row execute function patients_person_check();

-- A person who joined a clinic (by share-link or an accepted patient invitation) becomes its patient:
-- their profile (created from their account when they have none) and a record the clinic cannot see
-- the profile through until onboarding shares it. Returns the record's id; joining twice returns it.
create function app_enrol_joined_patient(org uuid)
returns uuid
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  me uuid := nullif(pg_catalog.current_setting('app.principal_id', true), '')::uuid;
  profile_id uuid;
  record_id uuid;
  person record;
begin
  if me is null or org is null then
    raise exception 'no principal' using errcode = 'insufficient_privilege';
  end if;
  perform pg_catalog.set_config('app.patients_owner_window', 'open', true);
  if not exists (select 1 from public.share_link_joins j where j.principal_id = me and j.organization_id = org)
     and not exists (select 1 from public.invitations i where i.kind = 'patient' and i.accepted_by = me and i.organization_id = org) then
    raise exception 'only a person the clinic invited or who used its link becomes its patient'
      using errcode = 'insufficient_privilege';
  end if;
  select p.id into profile_id from public.patient_profiles p where p.principal_id = me;
  if profile_id is null then
    select h.name, h.email, h.locale into person from public.humans h where h.principal_id = me;
    insert into public.patient_profiles (principal_id, given_name, family_name, email, locale, created_by, updated_by)
    values (me,
            coalesce(nullif(pg_catalog.split_part(pg_catalog.btrim(person.name), ' ', 1), ''), person.email),
            coalesce(nullif(pg_catalog.btrim(pg_catalog.substr(pg_catalog.btrim(person.name), pg_catalog.length(pg_catalog.split_part(pg_catalog.btrim(person.name), ' ', 1)) + 1)), ''), '-'),
            person.email, person.locale, me, me)
    returning id into profile_id;
  end if;
  select r.id into record_id from public.patients r where r.organization_id = org and r.patient_profile_id = profile_id;
  if record_id is null then
    insert into public.patients (organization_id, patient_profile_id, principal_id, created_by, updated_by)
    values (org, profile_id, me, me, me)
    returning id into record_id;
  end if;
  perform pg_catalog.set_config('app.patients_owner_window', '', true);
  return record_id;
end $$;
revoke all on function app_enrol_joined_patient(uuid) from public;
grant execute on function app_enrol_joined_patient(uuid) to restartix_app;

-- A person accepting the invitation a clinic sent for a record it created links to that record
-- without a duplicate: with no profile of their own they claim the clinic's; with one, the record
-- moves to theirs and the clinic's unclaimed copy goes. A record they already had in that clinic
-- (say, from its share-link) gives way to the clinic's own.
create function app_link_invited_patient(invitation uuid)
returns uuid
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  me uuid := nullif(pg_catalog.current_setting('app.principal_id', true), '')::uuid;
  invited record;
  target record;
  own_profile uuid;
  placeholder uuid;
begin
  perform pg_catalog.set_config('app.patients_owner_window', 'open', true);
  select i.organization_id, i.patient_id into invited from public.invitations i
   where i.id = invitation and i.kind = 'patient' and i.accepted_by = me and me is not null;
  if invited.organization_id is null or invited.patient_id is null then
    raise exception 'no accepted patient invitation of yours names a record' using errcode = 'insufficient_privilege';
  end if;
  perform pg_catalog.set_config('app.patient_linking', 'on', true);
  select p.id, p.patient_profile_id, p.organization_id into target from public.patients p
   where p.id = invited.patient_id and p.organization_id = invited.organization_id and p.deleted_at is null for update;
  if target.id is null then
    raise exception 'the record this invitation names no longer exists' using errcode = 'no_data_found';
  end if;
  select p.id into own_profile from public.patient_profiles p where p.principal_id = me;
  select p.id into placeholder from public.patient_profiles p where p.id = target.patient_profile_id and p.principal_id is null;
  if own_profile is null and placeholder is not null then
    update public.patient_profiles set principal_id = me, managed_by_organization_id = null, updated_by = me where id = placeholder;
    update public.patients set principal_id = me, updated_by = me where patient_profile_id = placeholder;
  elsif own_profile is not null and own_profile <> target.patient_profile_id then
    delete from public.patients d where d.organization_id = target.organization_id and d.patient_profile_id = own_profile and d.id <> target.id;
    update public.patients set patient_profile_id = own_profile, principal_id = me, updated_by = me where id = target.id;
    if placeholder is not null then
      delete from public.patient_profiles where id = placeholder
        and not exists (select 1 from public.patients r where r.patient_profile_id = placeholder);
    end if;
  end if;
  perform pg_catalog.set_config('app.patient_linking', '', true);
  perform pg_catalog.set_config('app.patients_owner_window', '', true);
  return target.id;
end $$;
revoke all on function app_link_invited_patient(uuid) from public;
grant execute on function app_link_invited_patient(uuid) to restartix_app;

-- A patient invitation may name the record the clinic created for the person it invites.
alter table invitations add column patient_id uuid references patients (id) on delete set null;
alter table invitations add constraint invitations_patient_only check (patient_id is null or kind = 'patient');
grant insert (patient_id) on invitations to restartix_app;

-- 8. The purge: one soft-deleted record past the retention window per call (never younger than a
--    day, however called), with the unclaimed profile nobody else holds. Returns what it removed.
create function app_purge_next_patient(retention interval)
returns table (patient_id uuid, patient_organization_id uuid, actor_principal_id uuid, patient_deleted_at timestamptz)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  purged public.patients%rowtype;
begin
  if retention is null or retention < interval '1 day' then
    raise exception 'patient records are kept at least a day after deletion'
      using errcode = 'check_violation', constraint = 'patients_purge_minimum';
  end if;
  perform pg_catalog.set_config('app.patients_owner_window', 'open', true);
  delete from public.patients p
  where p.id = (select d.id from public.patients d
                where d.deleted_at <= pg_catalog.now() - retention
                order by d.deleted_at
                limit 1
                for update skip locked)
  returning p.* into purged;
  if purged.id is not null then
    delete from public.patient_profiles pp where pp.id = purged.patient_profile_id and pp.principal_id is null
      and not exists (select 1 from public.patients r where r.patient_profile_id = pp.id);
  end if;
  perform pg_catalog.set_config('app.patients_owner_window', '', true);
  if purged.id is null then
    return;
  end if;
  patient_id := purged.id;
  patient_organization_id := purged.organization_id;
  actor_principal_id := purged.deleted_by;
  patient_deleted_at := purged.deleted_at;
  return next;
end $$;
revoke all on function app_purge_next_patient(interval) from public;
grant execute on function app_purge_next_patient(interval) to restartix_app;

grant select on patient_profiles, patients to restartix_zero;
-- Zero's server checks its schema against the catalogue as the api login: visible, no data.
grant references on patient_profiles, patients to restartix_api;
alter publication restartix_sync add table patient_profiles, patients;
