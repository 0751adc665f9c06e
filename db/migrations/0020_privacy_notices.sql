-- Privacy notices and platform terms (issue 5, item 4; plan 1B.10; ADR 0021). Runs as restartix_owner.
-- REST only (server/privacy-notices/): nothing here is published to zero-cache.
--
-- Every version of every document is immutable from the moment it exists: a new text is a new
-- version. Drafts live in the editor, never in the database, so "published" is the only state.
--   - platform_terms_versions:   the platform's terms of use (Console, platform.manage).
--   - privacy_notice_templates:  the platform's notice template: sections with {{placeholders}},
--                                some optional (Console, platform.manage).
--   - privacy_notices:           a clinic's notice: a template version, the clinic's placeholder
--                                values and chosen sections, and the text they render to, exactly
--                                as its patients are shown it (Clinic, members.manage).
-- A version marked `material` asks every patient to acknowledge again; a non-material one (a typo,
-- a new phone number) is shown without asking. A clinic's first notice, and the first terms, are
-- material by definition.

-- 1. Platform terms.
create table platform_terms_versions (
  id          uuid primary key default gen_random_uuid(),
  version     integer not null constraint platform_terms_versions_version_key unique
                constraint platform_terms_versions_version_check check (version >= 1),
  body        jsonb not null constraint platform_terms_versions_body_locales
                check (jsonb_typeof(body->'en') = 'string' and jsonb_typeof(body->'ro') = 'string'
                       and length(body->>'en') between 1 and 100000 and length(body->>'ro') between 1 and 100000),
  material    boolean not null,
  created_at  timestamptz not null default clock_timestamp(),
  -- Null only for the first version, which this migration writes.
  created_by  uuid references principals (id)
);

-- 2. The notice template.
create table privacy_notice_templates (
  id          uuid primary key default gen_random_uuid(),
  version     integer not null constraint privacy_notice_templates_version_key unique
                constraint privacy_notice_templates_version_check check (version >= 1),
  -- [{key, optional, title: {en, ro}, body: {en, ro}}, ...] in display order; bodies may name
  -- {{placeholders}} (server/privacy-notices/notice-template.ts validates the shape).
  sections    jsonb not null constraint privacy_notice_templates_sections_shape
                check (jsonb_typeof(sections) = 'array' and jsonb_array_length(sections) between 1 and 50),
  created_at  timestamptz not null default clock_timestamp(),
  created_by  uuid references principals (id)
);

-- 3. A clinic's notice versions.
create table privacy_notices (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references organizations (id) on delete cascade,
  version          integer not null constraint privacy_notices_version_check check (version >= 1),
  template_id      uuid not null references privacy_notice_templates (id),
  -- What the clinic filled in: {placeholder: text}; and the optional sections it chose (their keys).
  placeholder_values jsonb not null constraint privacy_notices_values_shape check (jsonb_typeof(placeholder_values) = 'object'),
  chosen_sections  jsonb not null constraint privacy_notices_sections_shape check (jsonb_typeof(chosen_sections) = 'array'),
  -- The text patients are shown, {en, ro}: rendered once, at publication, and kept as evidence.
  rendered         jsonb not null constraint privacy_notices_rendered_locales
                     check (jsonb_typeof(rendered->'en') = 'string' and jsonb_typeof(rendered->'ro') = 'string'),
  material         boolean not null,
  created_at       timestamptz not null default clock_timestamp(),
  created_by       uuid not null references principals (id),
  constraint privacy_notices_version_key unique (organization_id, version)
);

-- Versions are numbered by the database, one after another, under a lock per document (per clinic
-- for notices); the first is always material; the clock is the database's.
create function document_versions_number() returns trigger
language plpgsql
as $$
begin
  if tg_table_name = 'privacy_notices' then
    perform pg_advisory_xact_lock(hashtext('privacy_notices'), hashtext(new.organization_id::text));
    select coalesce(max(version), 0) + 1 into new.version from public.privacy_notices where organization_id = new.organization_id;
  elsif tg_table_name = 'platform_terms_versions' then
    perform pg_advisory_xact_lock(hashtext('platform_terms_versions'));
    select coalesce(max(version), 0) + 1 into new.version from public.platform_terms_versions;
  else
    perform pg_advisory_xact_lock(hashtext('privacy_notice_templates'));
    select coalesce(max(version), 0) + 1 into new.version from public.privacy_notice_templates;
  end if;
  if new.version = 1 and tg_table_name <> 'privacy_notice_templates' then
    new.material := true;
  end if;
  new.created_at := clock_timestamp();
  return new;
end $$;

create function document_versions_immutable() returns trigger language plpgsql as $$
begin
  -- A statement nested in another (a foreign key's cascade) is judged by the row trigger instead.
  if tg_level = 'STATEMENT' and tg_op = 'DELETE' and pg_catalog.pg_trigger_depth() > 1 then
    return null;
  end if;
  raise exception '% is immutable once published: publish a new version instead', tg_table_name
    using errcode = 'insufficient_privilege', constraint = 'document_versions_immutable';
end $$;

create trigger platform_terms_versions_number before insert on platform_terms_versions
  for each row execute function document_versions_number();
create trigger privacy_notice_templates_number before insert on privacy_notice_templates
  for each row execute function document_versions_number();
create trigger privacy_notices_number before insert on privacy_notices
  for each row execute function document_versions_number();
create trigger platform_terms_versions_immutable before update or delete or truncate on platform_terms_versions
  for each statement execute function document_versions_immutable();
create trigger privacy_notice_templates_immutable before update or delete or truncate on privacy_notice_templates
  for each statement execute function document_versions_immutable();
create trigger privacy_notices_immutable before update or delete or truncate on privacy_notices
  for each statement execute function document_versions_immutable();
-- A clinic's deletion cascades here as a nested statement, let through above; any notice it would
-- remove is refused row by row.
create trigger privacy_notices_immutable_rows before delete on privacy_notices
  for each row execute function document_versions_immutable();

alter table platform_terms_versions enable row level security;
alter table platform_terms_versions force row level security;
alter table privacy_notice_templates enable row level security;
alter table privacy_notice_templates force row level security;
alter table privacy_notices enable row level security;
alter table privacy_notices force row level security;

grant select on platform_terms_versions, privacy_notice_templates, privacy_notices to restartix_app;
grant insert (id, body, material, created_by) on platform_terms_versions to restartix_app;
grant insert (id, sections, created_by) on privacy_notice_templates to restartix_app;
grant insert (id, organization_id, template_id, placeholder_values, chosen_sections, rendered, material, created_by)
  on privacy_notices to restartix_app;

-- Terms and templates are public reference text, read by every signed-in principal; written by
-- superadmins (platform.manage), as themselves.
create policy platform_terms_versions_read on platform_terms_versions for select to restartix_app using (true);
create policy platform_terms_versions_publish on platform_terms_versions for insert to restartix_app
  with check (current_setting('app.platform_role', true) = 'superadmin'
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy privacy_notice_templates_read on privacy_notice_templates for select to restartix_app using (true);
create policy privacy_notice_templates_publish on privacy_notice_templates for insert to restartix_app
  with check (current_setting('app.platform_role', true) = 'superadmin'
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid);

-- A clinic's notice: read by its members (members.read) and by its live patients; published by
-- those who manage its people (members.manage), as themselves.
create policy privacy_notices_members_read on privacy_notices for select to restartix_app
  using (app_can(organization_id, 'members.read') or app_can(organization_id, 'members.manage'));
create policy privacy_notices_patients_read on privacy_notices for select to restartix_app
  using (app_is_live_patient(organization_id, nullif(current_setting('app.principal_id', true), '')::uuid));
create policy privacy_notices_publish on privacy_notices for insert to restartix_app
  with check (app_can(organization_id, 'members.manage')
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid);

-- The owner's window (0019's app.consent_window) reads the versions that decide what is outstanding.
create policy platform_terms_versions_window on platform_terms_versions for select to restartix_owner
  using (pg_catalog.current_setting('app.consent_window', true) <> '');
create policy privacy_notices_window on privacy_notices for select to restartix_owner
  using (pg_catalog.current_setting('app.consent_window', true) <> '');
-- The numbering trigger reads the latest version as whoever inserts; the owner inserts the first terms and template below.
create policy platform_terms_versions_owner_seed on platform_terms_versions for all to restartix_owner
  using (pg_catalog.current_setting('app.documents_seed', true) = 'on') with check (pg_catalog.current_setting('app.documents_seed', true) = 'on');
create policy privacy_notice_templates_owner_seed on privacy_notice_templates for all to restartix_owner
  using (pg_catalog.current_setting('app.documents_seed', true) = 'on') with check (pg_catalog.current_setting('app.documents_seed', true) = 'on');

-- 4. A ledger row names a version that exists: of the terms, for the terms; of its clinic's notice,
--    for every other organisation purpose (the notice in force when it was given). Checked as the
--    writer, who reads the terms and, as a live patient, their clinic's notices.
create function consent_ledger_document_check() returns trigger
language plpgsql
as $$
begin
  if new.document_version is null then
    return new;
  end if;
  if new.purpose = 'platform_terms' then
    if not exists (select 1 from public.platform_terms_versions t where t.version = new.document_version) then
      raise exception 'no terms version %', new.document_version using errcode = 'foreign_key_violation', constraint = 'consent_ledger_document_version_exists';
    end if;
  elsif new.organization_id is null
     or not exists (select 1 from public.privacy_notices n where n.organization_id = new.organization_id and n.version = new.document_version) then
    raise exception 'no notice version % of that clinic', new.document_version using errcode = 'foreign_key_violation', constraint = 'consent_ledger_document_version_exists';
  end if;
  return new;
end $$;
create trigger consent_ledger_document_check before insert on consent_ledger
  for each row execute function consent_ledger_document_check();

-- 5. The required acknowledgements of `person` for `org`, against the versions: the latest material
--    version is what must have been acknowledged (a later acknowledgement counts too). A clinic with
--    no notice yet leaves its notice outstanding: nothing is shared with a clinic that has not said
--    how it processes data.
create function app_acknowledgements(person uuid, org uuid)
returns table (purpose text, current_version integer, required_version integer, acknowledged_version integer, outstanding boolean)
language sql stable
as $$
  with docs as (
    select 'platform_terms'::text as purpose,
           (select max(t.version) from public.platform_terms_versions t) as current_version,
           (select max(t.version) from public.platform_terms_versions t where t.material) as required_version,
           (select c.document_version from public.consent_current c
             where c.principal_id = person and c.organization_id is null and c.purpose = 'platform_terms' and c.granted) as acknowledged_version
    union all
    select 'privacy_notice',
           (select max(n.version) from public.privacy_notices n where n.organization_id = org),
           (select max(n.version) from public.privacy_notices n where n.organization_id = org and n.material),
           (select c.document_version from public.consent_current c
             where c.principal_id = person and c.organization_id = org and c.purpose = 'privacy_notice' and c.granted)
  )
  select d.purpose, d.current_version, d.required_version, d.acknowledged_version,
         d.required_version is null and d.purpose = 'privacy_notice'
           or coalesce(d.acknowledged_version < d.required_version, d.required_version is not null)
  from docs d
$$;

create or replace function app_consent_outstanding(person uuid, org uuid) returns text[]
language sql stable
as $$
  select coalesce(array_agg(a.purpose order by a.purpose), '{}') from public.app_acknowledgements(person, org) a where a.outstanding
$$;

-- 6. The first terms and the first template, so that a new deployment asks for something real.
--    Operators publish later versions in the Console.
select set_config('app.documents_seed', 'on', true);
insert into platform_terms_versions (body, material) values (jsonb_build_object(
  'en', E'## Using RestartiX\n\nRestartiX provides the apps through which your clinic works with you. Your clinic decides how your data is used and is responsible for it; RestartiX processes it on the clinic''s behalf.\n\n## Your account\n\nKeep your sign-in details to yourself. You can sign out of every device from your account page.\n\n## Changes\n\nWhen these terms change materially, we ask you to read and accept them again.',
  'ro', E'## Utilizarea RestartiX\n\nRestartiX furnizează aplicațiile prin care clinica dumneavoastră lucrează cu dumneavoastră. Clinica decide cum sunt folosite datele dumneavoastră și răspunde de ele; RestartiX le prelucrează în numele clinicii.\n\n## Contul dumneavoastră\n\nPăstrați pentru dumneavoastră datele de autentificare. Vă puteți deconecta de pe toate dispozitivele din pagina contului.\n\n## Modificări\n\nCând acești termeni se schimbă semnificativ, vă rugăm să îi citiți și să îi acceptați din nou.'
), true);
insert into privacy_notice_templates (sections) values (jsonb_build_array(
  jsonb_build_object('key', 'controller', 'optional', false,
    'title', jsonb_build_object('en', 'Who we are', 'ro', 'Cine suntem'),
    'body', jsonb_build_object(
      'en', E'{{clinic_name}} is the controller of your personal and health data. You can reach our data protection officer at {{dpo_contact}}.',
      'ro', E'{{clinic_name}} este operatorul datelor dumneavoastră personale și de sănătate. Responsabilul nostru cu protecția datelor poate fi contactat la {{dpo_contact}}.')),
  jsonb_build_object('key', 'purposes', 'optional', false,
    'title', jsonb_build_object('en', 'What we use your data for', 'ro', 'În ce scop folosim datele'),
    'body', jsonb_build_object(
      'en', E'We use your data to assess, treat and follow up your condition, and to keep the records the law requires.\n\n- Treatment and follow-up (legal basis: the provision of health care)\n- Medical records (legal basis: legal obligation)',
      'ro', E'Folosim datele dumneavoastră pentru evaluarea, tratamentul și monitorizarea afecțiunii și pentru evidențele cerute de lege.\n\n- Tratament și monitorizare (temei legal: furnizarea de îngrijiri medicale)\n- Evidențe medicale (temei legal: obligație legală)')),
  jsonb_build_object('key', 'retention', 'optional', false,
    'title', jsonb_build_object('en', 'How long we keep it', 'ro', 'Cât timp le păstrăm'),
    'body', jsonb_build_object(
      'en', E'We keep your records for {{retention_period}}, then delete them.',
      'ro', E'Păstrăm evidențele dumneavoastră timp de {{retention_period}}, apoi le ștergem.')),
  jsonb_build_object('key', 'telerehab', 'optional', true,
    'title', jsonb_build_object('en', 'Exercises at home', 'ro', 'Exerciții acasă'),
    'body', jsonb_build_object(
      'en', E'When you exercise with the Portal, your device measures your movement to give you feedback. The measurements are sent to {{clinic_name}}; video never leaves your device.',
      'ro', E'Când faceți exerciții în Portal, dispozitivul vă măsoară mișcarea pentru a vă oferi feedback. Măsurătorile ajung la {{clinic_name}}; imaginile video nu părăsesc dispozitivul.')),
  jsonb_build_object('key', 'processors', 'optional', true,
    'title', jsonb_build_object('en', 'Who processes data for us', 'ro', 'Cine prelucrează date pentru noi'),
    'body', jsonb_build_object(
      'en', E'RestartiX hosts our apps and processes data on our behalf, under a data processing agreement. {{other_processors}}',
      'ro', E'RestartiX găzduiește aplicațiile noastre și prelucrează date în numele nostru, pe baza unui acord de prelucrare. {{other_processors}}')),
  jsonb_build_object('key', 'rights', 'optional', false,
    'title', jsonb_build_object('en', 'Your rights', 'ro', 'Drepturile dumneavoastră'),
    'body', jsonb_build_object(
      'en', E'You may ask us for a copy of your data, to correct it, or to erase it, from the Portal or by writing to {{dpo_contact}}. You may also complain to the data protection authority.',
      'ro', E'Ne puteți cere o copie a datelor, corectarea sau ștergerea lor, din Portal sau scriind la {{dpo_contact}}. Puteți depune și o plângere la autoritatea de supraveghere.'))
));
select set_config('app.documents_seed', '', true);
