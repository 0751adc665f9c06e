-- Patient tiers and subscriptions, minimal (issue 5, item 5; plan 1B.6–1B.8; ADR 0023). Runs as restartix_owner.
--
-- A clinic keeps a catalogue of tiers (a name, a price, a billing period) and records which tier
-- each of its patients is subscribed to, with a status. Nothing is charged and nothing is enforced
-- yet: entitlements come later and will read these rows. Both tables are synced through Zero
-- (sync-rules/access-rules.ts) to the clinic's people with billing.read, billing.manage or
-- patients.read, and to the patient themself (their own subscriptions, the tiers of their clinics).
-- Writes need billing.manage in the clinic the request works in, here as in the mutators, so raw SQL
-- by the runtime role is held to the same rule.

-- 1. The catalogue. Prices are in minor units (bani, cents) of an ISO 4217 currency.
create table patient_tiers (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name            text not null constraint patient_tiers_name_check check (length(btrim(name)) between 1 and 120),
  description     text not null default '' constraint patient_tiers_description_check check (length(description) <= 1000),
  price_minor     integer not null constraint patient_tiers_price_check check (price_minor >= 0),
  currency        text not null default 'RON' constraint patient_tiers_currency_check check (currency ~ '^[A-Z]{3}$'),
  billing_period  text not null constraint patient_tiers_billing_period_check check (billing_period in ('month', 'year', 'once')),
  status          text not null default 'active' constraint patient_tiers_status_check check (status in ('active', 'archived')),
  created_by      uuid not null references principals (id),
  updated_by      uuid not null references principals (id),
  created_at      timestamptz not null default clock_timestamp(),
  updated_at      timestamptz not null default clock_timestamp(),
  -- The target of the subscriptions' foreign key, which keeps a subscription in its tier's clinic.
  constraint patient_tiers_id_organization_key unique (id, organization_id)
);
-- Two offered tiers with the same name would be told apart by nobody; an archived one may be reused.
create unique index patient_tiers_name_key on patient_tiers (organization_id, lower(btrim(name))) where status = 'active';

-- 2. Subscriptions. A patient row is one clinic's record of a person (0018), so "one live
--    subscription per patient" is one per person per clinic.
--    patients gains the key the composite foreign key needs; its id is already unique.
alter table patients add constraint patients_id_organization_key unique (id, organization_id);

create table patient_subscriptions (
  id                 uuid primary key default gen_random_uuid(),
  organization_id    uuid not null references organizations (id) on delete cascade,
  patient_id         uuid not null,
  tier_id            uuid not null,
  status             text not null constraint patient_subscriptions_status_check
                       check (status in ('trialing', 'active', 'past_due', 'cancelled', 'expired')),
  started_at         timestamptz not null default clock_timestamp(),
  -- When the period paid for ends; null for a one-off tier.
  current_period_end timestamptz,
  cancelled_at       timestamptz,
  created_by         uuid not null references principals (id),
  updated_by         uuid not null references principals (id),
  created_at         timestamptz not null default clock_timestamp(),
  updated_at         timestamptz not null default clock_timestamp(),
  -- Same clinic on both sides, whoever writes: a subscription can name neither another clinic's
  -- patient nor another clinic's tier. A purged patient takes their subscriptions along.
  constraint patient_subscriptions_patient_fkey foreign key (patient_id, organization_id)
    references patients (id, organization_id) on delete cascade,
  constraint patient_subscriptions_tier_fkey foreign key (tier_id, organization_id)
    references patient_tiers (id, organization_id),
  constraint patient_subscriptions_cancelled_at_matches_status check ((status = 'cancelled') = (cancelled_at is not null))
);
create unique index patient_subscriptions_one_live_key on patient_subscriptions (organization_id, patient_id)
  where status not in ('cancelled', 'expired');
create index patient_subscriptions_tier_idx on patient_subscriptions (tier_id);

-- 3. The database owns the lifecycle, as for locations (0001): a subscription starts trialing or
--    active, on an active tier, and moves only along the transitions below; cancelled and expired
--    are terminal (a new subscription is a new row). Its moments come from the database clock.
create function patient_subscription_transition_allowed(old_status text, new_status text) returns boolean
language sql immutable as $$
  select case old_status
    when 'trialing' then new_status in ('active', 'cancelled', 'expired')
    when 'active'   then new_status in ('past_due', 'cancelled', 'expired')
    when 'past_due' then new_status in ('active', 'cancelled', 'expired')
    else false
  end
$$;

create function patient_subscriptions_lifecycle() returns trigger language plpgsql as $$
declare
  tier record;
begin
  if tg_op = 'INSERT' then
    if new.status not in ('trialing', 'active') then
      raise exception 'a subscription starts trialing or active' using errcode = 'check_violation', constraint = 'patient_subscriptions_starts_live';
    end if;
    -- Read as the writer: a tier the writer cannot see is no tier to subscribe to.
    select t.status, t.billing_period into tier from patient_tiers t where t.id = new.tier_id and t.organization_id = new.organization_id;
    if not found or tier.status <> 'active' then
      raise exception 'only an active tier takes new subscriptions' using errcode = 'check_violation', constraint = 'patient_subscriptions_tier_active';
    end if;
    new.created_at := clock_timestamp();
    new.updated_at := new.created_at;
    new.started_at := new.created_at;
    new.current_period_end := case tier.billing_period
      when 'month' then new.started_at + interval '1 month'
      when 'year' then new.started_at + interval '1 year'
    end;
    new.cancelled_at := null;
    return new;
  end if;
  if new.status <> old.status and not patient_subscription_transition_allowed(old.status, new.status) then
    raise exception 'subscription % cannot go from % to %', old.id, old.status, new.status
      using errcode = 'check_violation', constraint = 'patient_subscriptions_transition';
  end if;
  if new.status = old.status and old.status in ('cancelled', 'expired') then
    raise exception 'subscription % has ended', old.id using errcode = 'check_violation', constraint = 'patient_subscriptions_transition';
  end if;
  new.created_at := old.created_at;
  new.updated_at := clock_timestamp();
  new.started_at := old.started_at;
  new.current_period_end := old.current_period_end;
  new.cancelled_at := case when new.status = 'cancelled' then coalesce(old.cancelled_at, clock_timestamp()) end;
  return new;
end $$;

create trigger patient_subscriptions_lifecycle before insert or update on patient_subscriptions
  for each row execute function patient_subscriptions_lifecycle();

-- A tier's price terms are what its subscribers agreed to: they are fixed once the first patient
-- subscribes (archive it and offer a new one instead). Name and description stay editable.
create function patient_tiers_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    new.created_at := clock_timestamp();
    new.updated_at := new.created_at;
    return new;
  end if;
  if (new.price_minor, new.currency, new.billing_period) is distinct from (old.price_minor, old.currency, old.billing_period)
     and exists (select 1 from patient_subscriptions s where s.tier_id = old.id) then
    raise exception 'tier % has subscribers; its price terms are fixed', old.id
      using errcode = 'check_violation', constraint = 'patient_tiers_terms_fixed';
  end if;
  new.created_at := old.created_at;
  new.updated_at := clock_timestamp();
  return new;
end $$;

create trigger patient_tiers_guard before insert or update on patient_tiers
  for each row execute function patient_tiers_guard();

alter table patient_tiers enable row level security;
alter table patient_tiers force row level security;
alter table patient_subscriptions enable row level security;
alter table patient_subscriptions force row level security;

-- 4. Synced: zero-cache copies them, the api login sees them when Zero checks its schema (as in 0001).
grant select on patient_tiers, patient_subscriptions to restartix_zero;
grant references on patient_tiers, patient_subscriptions to restartix_api;
alter publication restartix_sync add table patient_tiers, patient_subscriptions;

-- 5. What the runtime role may do, by column. Nothing is ever deleted by a request: a tier is
--    archived, a subscription cancelled or expired.
grant select on patient_tiers, patient_subscriptions to restartix_app;
grant insert (id, organization_id, name, description, price_minor, currency, billing_period, status, created_by, updated_by, created_at, updated_at)
  on patient_tiers to restartix_app;
grant update (name, description, price_minor, currency, billing_period, status, updated_by, updated_at) on patient_tiers to restartix_app;
grant insert (id, organization_id, patient_id, tier_id, status, started_at, current_period_end, cancelled_at, created_by, updated_by, created_at, updated_at)
  on patient_subscriptions to restartix_app;
grant update (status, cancelled_at, updated_by, updated_at) on patient_subscriptions to restartix_app;

-- 6. Restrictive policies: on top of the generated access policy (which a patient passes for their
--    own rows), every write needs billing.manage in the clinic the request works in, stamped with
--    the acting principal.
create policy patient_tiers_billing_insert on patient_tiers as restrictive for insert to restartix_app
  with check (app_can(organization_id, 'billing.manage')
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid
    and updated_by = created_by);
create policy patient_tiers_billing_update on patient_tiers as restrictive for update to restartix_app
  using (app_can(organization_id, 'billing.manage'))
  with check (app_can(organization_id, 'billing.manage')
    and updated_by = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy patient_subscriptions_billing_insert on patient_subscriptions as restrictive for insert to restartix_app
  with check (app_can(organization_id, 'billing.manage')
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid
    and updated_by = created_by);
create policy patient_subscriptions_billing_update on patient_subscriptions as restrictive for update to restartix_app
  using (app_can(organization_id, 'billing.manage'))
  with check (app_can(organization_id, 'billing.manage')
    and updated_by = nullif(current_setting('app.principal_id', true), '')::uuid);
