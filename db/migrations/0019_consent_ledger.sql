-- The consent ledger (issue 5, item 3; plan 1B.9; ADR 0020). Runs as restartix_owner.
-- REST only (/api/v1/me/consents, /api/v1/patients/:id/consents; server/consents/): nothing here is
-- published, so zero-cache never holds a row.
--
-- A person's consents and acknowledgements are a ledger: one row per grant or withdrawal, never
-- changed, never deleted, by anyone (the runtime role has no UPDATE or DELETE grant, and a trigger
-- refuses them for every role, the owner included). What holds now is derived from it: the latest row
-- per person, clinic and purpose (consent_current). Purposes come from one platform catalogue.
--
-- The clinic may see a person's profile (patients.profile_shared_at, 0018) only once the person has
-- made the required acknowledgements: app_complete_patient_onboarding below checks them and shares.

-- 1. The purpose catalogue. Platform reference data, the same for every clinic; titles and
--    descriptions in each locale the apps speak.
create table consent_purposes (
  code         text primary key constraint consent_purposes_code_shape check (code ~ '^[a-z][a-z0-9_]{1,62}$'),
  -- platform: between the person and the platform (terms); organization: between the person and one clinic.
  scope        text not null constraint consent_purposes_scope_check check (scope in ('platform', 'organization')),
  -- required: nothing is shared with a clinic until it exists; optional: the person's free choice, off by default.
  requirement  text not null constraint consent_purposes_requirement_check check (requirement in ('required', 'optional')),
  -- The legal basis a row of this purpose is recorded under unless it says otherwise.
  legal_basis  text not null constraint consent_purposes_legal_basis_check
                 check (legal_basis in ('consent', 'contract', 'legal_obligation', 'vital_interest', 'public_task', 'legitimate_interest')),
  -- The document an acknowledgement of this purpose refers to (its version goes in the row).
  document     text constraint consent_purposes_document_check check (document in ('platform_terms', 'privacy_notice')),
  title        jsonb not null constraint consent_purposes_title_locales check (jsonb_typeof(title->'en') = 'string' and jsonb_typeof(title->'ro') = 'string'),
  description  jsonb not null constraint consent_purposes_description_locales
                 check (jsonb_typeof(description->'en') = 'string' and jsonb_typeof(description->'ro') = 'string'),
  position     integer not null,
  created_at   timestamptz not null default clock_timestamp(),
  -- A required purpose is an acknowledgement (of terms or of a notice), so it names its document;
  -- only consent can be withdrawn, so an optional purpose rests on consent.
  constraint consent_purposes_required_names_document check (requirement = 'optional' or document is not null),
  constraint consent_purposes_optional_is_consent check (requirement = 'required' or legal_basis = 'consent')
);

insert into consent_purposes (code, scope, requirement, legal_basis, document, title, description, position) values
  ('platform_terms', 'platform', 'required', 'contract', 'platform_terms',
   '{"en": "RestartiX terms of use", "ro": "Termenii de utilizare RestartiX"}',
   '{"en": "The terms under which you use the RestartiX apps.", "ro": "Termenii în care folosiți aplicațiile RestartiX."}', 10),
  ('privacy_notice', 'organization', 'required', 'legal_obligation', 'privacy_notice',
   '{"en": "The clinic''s privacy notice", "ro": "Nota de informare a clinicii"}',
   '{"en": "How the clinic, as controller, processes your personal and health data, and your rights.", "ro": "Cum prelucrează clinica, în calitate de operator, datele dumneavoastră personale și de sănătate, și drepturile pe care le aveți."}', 20),
  ('reminders', 'organization', 'optional', 'consent', null,
   '{"en": "Appointment and exercise reminders", "ro": "Mementouri pentru programări și exerciții"}',
   '{"en": "The clinic may email you reminders of appointments and of your exercise programme.", "ro": "Clinica vă poate trimite prin e-mail mementouri pentru programări și pentru programul de exerciții."}', 30),
  ('marketing', 'organization', 'optional', 'consent', null,
   '{"en": "News and offers from the clinic", "ro": "Noutăți și oferte de la clinică"}',
   '{"en": "The clinic may email you news about its services and offers.", "ro": "Clinica vă poate trimite prin e-mail noutăți despre serviciile și ofertele sale."}', 40);

-- The catalogue changes only by migration: nobody at runtime writes it.
create function consent_purposes_fixed() returns trigger language plpgsql as $$
begin
  raise exception 'the purpose catalogue changes only by migration' using errcode = 'insufficient_privilege';
end $$;
create trigger consent_purposes_fixed before update or delete on consent_purposes
  for each statement execute function consent_purposes_fixed();

alter table consent_purposes enable row level security;
alter table consent_purposes force row level security;
grant select on consent_purposes to restartix_app;
-- Public reference data: every signed-in principal reads it (patients see the titles, the Console lists it).
create policy consent_purposes_read on consent_purposes for select to restartix_app using (true);
create policy consent_purposes_owner_read on consent_purposes for select to restartix_owner using (true);

-- 2. The ledger.
create table consent_ledger (
  id                uuid primary key default gen_random_uuid(),
  -- Orders rows recorded at the same instant: the current state is the row with the highest seq.
  seq               bigint generated always as identity constraint consent_ledger_seq_key unique,
  -- The person: consents are given by someone with an account.
  principal_id      uuid not null references humans (principal_id),
  -- The clinic of an organisation-scope purpose; null for platform scope. Never cascaded away: the
  -- ledger is the clinic's evidence, kept as long as the law requires.
  organization_id   uuid references organizations (id),
  purpose           text not null references consent_purposes (code),
  action            text not null constraint consent_ledger_action_check check (action in ('grant', 'withdraw')),
  legal_basis       text not null constraint consent_ledger_legal_basis_check
                      check (legal_basis in ('consent', 'contract', 'legal_obligation', 'vital_interest', 'public_task', 'legitimate_interest')),
  -- The version of the platform terms, or of the clinic's privacy notice, the row refers to (0020
  -- checks that it was published).
  document_version  integer constraint consent_ledger_document_version_check check (document_version >= 1),
  recorded_at       timestamptz not null default clock_timestamp(),
  recorded_by       uuid not null references principals (id),
  -- Where it was recorded: the onboarding consent block, the Portal's consents page, or the prompt
  -- after a material change of a notice or of the terms.
  source            text not null constraint consent_ledger_source_check check (source in ('onboarding', 'portal', 'reacknowledgement')),
  request_id        text constraint consent_ledger_request_id_check check (length(request_id) between 1 and 64)
);
create index consent_ledger_subject_idx on consent_ledger (principal_id, organization_id, purpose, seq);
create index consent_ledger_organization_idx on consent_ledger (organization_id, principal_id) where organization_id is not null;

-- Every row is checked against its purpose, and stamped by the database clock (nobody backdates a
-- consent). Withdrawing is for consent only: an acknowledgement of terms or of a notice is not taken back.
create function consent_ledger_check() returns trigger
language plpgsql
as $$
declare
  p public.consent_purposes%rowtype;
begin
  select * into p from public.consent_purposes where code = new.purpose;
  if (p.scope = 'platform') <> (new.organization_id is null) then
    raise exception 'purpose % is of % scope', new.purpose, p.scope
      using errcode = 'check_violation', constraint = 'consent_ledger_scope_matches_purpose';
  end if;
  if new.action = 'withdraw' and new.legal_basis <> 'consent' then
    raise exception 'only consent can be withdrawn' using errcode = 'check_violation', constraint = 'consent_ledger_withdraw_consent_only';
  end if;
  if p.document is not null and new.action = 'grant' and new.document_version is null then
    raise exception 'an acknowledgement of % names the version acknowledged', p.document
      using errcode = 'check_violation', constraint = 'consent_ledger_document_version_required';
  end if;
  new.recorded_at := clock_timestamp();
  return new;
end $$;
create trigger consent_ledger_check before insert on consent_ledger
  for each row execute function consent_ledger_check();

-- Append-only, for every role: the owner's ALTER TABLE could drop this, and that is a migration, reviewed.
create function consent_ledger_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'consent_ledger is append-only: record a new grant or withdrawal instead'
    using errcode = 'insufficient_privilege', constraint = 'consent_ledger_append_only';
end $$;
-- Per statement: refused even when RLS would leave the statement no row to touch.
create trigger consent_ledger_no_update before update or delete or truncate on consent_ledger
  for each statement execute function consent_ledger_append_only();

alter table consent_ledger enable row level security;
alter table consent_ledger force row level security;
-- No UPDATE, no DELETE, no TRUNCATE; seq and recorded_at are the database's.
grant select on consent_ledger to restartix_app;
grant insert (id, principal_id, organization_id, purpose, action, legal_basis, document_version, recorded_by, source, request_id)
  on consent_ledger to restartix_app;

-- Is `person` a live patient of `org`; has the person shared their profile with it? Under the
-- caller's RLS: the person sees their own records, a clinic with patients.read its own.
create function app_is_live_patient(org uuid, person uuid) returns boolean language sql stable as $$
  select exists (select 1 from public.patients p where p.organization_id = org and p.principal_id = person and p.deleted_at is null)
$$;
create function app_shares_profile_with(org uuid, person uuid) returns boolean language sql stable as $$
  select exists (select 1 from public.patients p where p.organization_id = org and p.principal_id = person and p.deleted_at is null
                 and p.profile_shared_at is not null)
$$;

-- A person reads their own rows everywhere, and records their own, as themself, for the platform or
-- for a clinic they are a live patient of.
create policy consent_ledger_own_read on consent_ledger for select to restartix_app
  using (principal_id = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy consent_ledger_own_record on consent_ledger for insert to restartix_app
  with check (principal_id = nullif(current_setting('app.principal_id', true), '')::uuid
    and recorded_by = principal_id
    and (organization_id is null or app_is_live_patient(organization_id, principal_id)));
-- A clinic (patients.read, in the clinic it works in) reads the organisation-scope rows of its live
-- patients who shared their profile with it: not another clinic's rows, not the platform's, not a
-- stranger's.
create policy consent_ledger_clinic_read on consent_ledger for select to restartix_app
  using (organization_id is not null and app_can(organization_id, 'patients.read')
    and app_shares_profile_with(organization_id, principal_id));

-- 3. What holds now: the latest row per person, clinic and purpose. security_invoker: whoever reads
--    it reads through the ledger's policies.
create view consent_current with (security_invoker = true) as
  select distinct on (l.principal_id, l.organization_id, l.purpose)
    l.principal_id, l.organization_id, l.purpose, l.action = 'grant' as granted, l.action, l.legal_basis,
    l.document_version, l.recorded_at, l.source, l.id as ledger_id
  from consent_ledger l
  order by l.principal_id, l.organization_id, l.purpose, l.seq desc;
grant select on consent_current to restartix_app;

-- 4. Owner-only window onto one person's rows, for the functions below: FORCE ROW LEVEL SECURITY
--    binds the owner too. app.consent_window names the person; the functions set and clear it.
create policy consent_ledger_window_read on consent_ledger for select to restartix_owner
  using (principal_id = nullif(pg_catalog.current_setting('app.consent_window', true), '')::uuid);

-- The required acknowledgements `person` has not made for `org` (platform terms, and the clinic's
-- privacy notice): purpose codes. Here any standing grant counts; 0020 replaces this with the
-- version rules (a material change asks again). Called inside the window.
create function app_consent_outstanding(person uuid, org uuid) returns text[]
language sql stable
as $$
  select coalesce(array_agg(p.code order by p.position), '{}')
  from public.consent_purposes p
  where p.requirement = 'required'
    and not exists (select 1 from public.consent_current c
                    where c.principal_id = person and c.purpose = p.code and c.granted
                      and c.organization_id is not distinct from (case when p.scope = 'platform' then null else org end))
$$;

-- 5. Onboarding done: the calling person, having made the required acknowledgements for `org`, shares
--    their profile with that clinic (patients.profile_shared_at on their live record there). Only
--    ever for the caller's own record; refused while anything required is outstanding. Returns when
--    the profile was shared (the earlier moment if it already was).
create function app_complete_patient_onboarding(org uuid)
returns timestamptz
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  me uuid := nullif(pg_catalog.current_setting('app.principal_id', true), '')::uuid;
  missing text[];
  record_id uuid;
  shared timestamptz;
begin
  if me is null or org is null then
    raise exception 'no principal' using errcode = 'insufficient_privilege';
  end if;
  perform pg_catalog.set_config('app.consent_window', me::text, true);
  missing := public.app_consent_outstanding(me, org);
  perform pg_catalog.set_config('app.consent_window', '', true);
  if pg_catalog.cardinality(missing) > 0 then
    raise exception 'required acknowledgements missing: %', pg_catalog.array_to_string(missing, ', ')
      using errcode = 'check_violation', constraint = 'consent_onboarding_incomplete';
  end if;
  perform pg_catalog.set_config('app.patients_owner_window', 'open', true);
  select p.id, p.profile_shared_at into record_id, shared
    from public.patients p
   where p.organization_id = org and p.principal_id = me and p.deleted_at is null
   for update;
  if record_id is not null and shared is null then
    perform pg_catalog.set_config('app.patient_sharing', 'on', true);
    update public.patients set profile_shared_at = pg_catalog.clock_timestamp(), updated_by = me
     where id = record_id returning profile_shared_at into shared;
    perform pg_catalog.set_config('app.patient_sharing', '', true);
  end if;
  perform pg_catalog.set_config('app.patients_owner_window', '', true);
  if record_id is null then
    raise exception 'not a patient of this clinic' using errcode = 'no_data_found', constraint = 'consent_onboarding_no_record';
  end if;
  return shared;
end $$;
revoke all on function app_complete_patient_onboarding(uuid) from public;
grant execute on function app_complete_patient_onboarding(uuid) to restartix_app;

-- 6. Notifications gated by a purpose (ADR 0020). A mail for a purpose is checked against the
--    CURRENT ledger when it is about to go out, not when it was asked for: a withdrawal stops what
--    was already queued. Each mail not sent is recorded here, never silently dropped.
create table purpose_notification_skips (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references organizations (id) on delete cascade,
  -- The outbox event that asked for the mail: one skip per event, however often its job runs.
  event_id         uuid not null constraint purpose_notification_skips_event_key unique,
  patient_id       uuid not null,
  -- Null when the patient has no account, so no consent could exist.
  principal_id     uuid references humans (principal_id),
  purpose          text not null references consent_purposes (code),
  reason           text not null constraint purpose_notification_skips_reason_check
                     check (reason in ('never_granted', 'withdrawn', 'no_account')),
  -- The ledger row that decided (the withdrawal); null when there is none.
  ledger_id        uuid references consent_ledger (id),
  created_at       timestamptz not null default clock_timestamp()
);
create index purpose_notification_skips_patient_idx on purpose_notification_skips (organization_id, patient_id, created_at);

create function purpose_notification_skips_append_only() returns trigger language plpgsql as $$
begin
  if tg_level = 'STATEMENT' and tg_op = 'DELETE' and pg_catalog.pg_trigger_depth() > 1 then
    return null;
  end if;
  raise exception 'purpose_notification_skips is append-only' using errcode = 'insufficient_privilege';
end $$;
create trigger purpose_notification_skips_no_update before update or delete or truncate on purpose_notification_skips
  for each statement execute function purpose_notification_skips_append_only();
-- A clinic's deletion cascades here as a nested statement, let through above; any skip it would
-- remove is refused row by row.
create trigger purpose_notification_skips_no_delete_rows before delete on purpose_notification_skips
  for each row execute function purpose_notification_skips_append_only();

alter table purpose_notification_skips enable row level security;
alter table purpose_notification_skips force row level security;
grant select on purpose_notification_skips to restartix_app;
-- The clinic's patient readers see what was not sent to their patients, and why.
create policy purpose_notification_skips_clinic_read on purpose_notification_skips for select to restartix_app
  using (app_can(organization_id, 'patients.read'));
create policy purpose_notification_skips_window on purpose_notification_skips for all to restartix_owner
  using (pg_catalog.current_setting('app.consent_window', true) <> '')
  with check (principal_id is not distinct from nullif(pg_catalog.current_setting('app.consent_window', true), '-')::uuid);

-- Called by the job runner (restartix_api, outside any request) right before sending a mail for
-- `purpose` to `person` (null: no account) about patient record `patient` of `org`, for outbox event
-- `event`. True: send. False: the ledger does not hold a grant now; the skip is recorded (once).
create function app_gate_purpose_notification(event uuid, org uuid, patient uuid, person uuid, purpose_code text)
returns boolean
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  current_row record;
  why text;
begin
  if event is null or org is null or patient is null or purpose_code is null then
    raise exception 'event, clinic, patient and purpose are required' using errcode = 'null_value_not_allowed';
  end if;
  if not exists (select 1 from public.consent_purposes p where p.code = purpose_code and p.scope = 'organization') then
    raise exception 'no organisation purpose %', purpose_code using errcode = 'check_violation';
  end if;
  -- '-' opens the window for a person with no account: no ledger row can match it.
  perform pg_catalog.set_config('app.consent_window', coalesce(person::text, '-'), true);
  select c.granted, c.ledger_id into current_row from public.consent_current c
   where c.principal_id = person and c.organization_id = org and c.purpose = purpose_code;
  if person is not null and current_row.granted then
    perform pg_catalog.set_config('app.consent_window', '', true);
    return true;
  end if;
  why := case when person is null then 'no_account' when current_row.granted is null then 'never_granted' else 'withdrawn' end;
  insert into public.purpose_notification_skips (organization_id, event_id, patient_id, principal_id, purpose, reason, ledger_id)
  values (org, event, patient, person, purpose_code, why, current_row.ledger_id)
  on conflict (event_id) do nothing;
  perform pg_catalog.set_config('app.consent_window', '', true);
  return false;
end $$;
revoke all on function app_gate_purpose_notification(uuid, uuid, uuid, uuid, text) from public;
grant execute on function app_gate_purpose_notification(uuid, uuid, uuid, uuid, text) to restartix_api;
