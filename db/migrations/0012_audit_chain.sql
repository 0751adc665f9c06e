-- The audit log, partitioned by month and hash-chained per organisation (issue 4, ADR 0013).
-- Runs as restartix_owner. Forward-only: the table of 0001 is replaced by a partitioned one of the
-- same name, its rows are moved over (and chained) in this transaction, and every guarantee it had is
-- kept: the runtime role appends its own rows only, nobody updates, deletes or truncates (the owner
-- neither), the platform-role functions of 0010 append through their window, nothing is published.
--
-- What is new:
--   - monthly range partitions (UTC months) in their own schema, audit_log_partitions, created ahead
--     by audit_ensure_partitions() (at migration, at every start, and by the daily job) and detached
--     from the oldest end by audit_detach_partition(name);
--   - one chain per organisation, and one for platform-level entries (organization_id null): each
--     entry carries its place in the chain (chain_seq), the previous entry's id and hash, and the
--     SHA-256 of its own canonical content (defined below, and in server/audit/canonical.ts, which
--     must agree with it byte for byte). The database computes them in a BEFORE INSERT trigger, under
--     a transaction-level advisory lock on the chain, so every writer is chained (the SQL functions of
--     0010 too) and two concurrent writers cannot fork a chain;
--   - audit_chains: each chain's head (to detect a removed last entry) and archive checkpoint;
--   - actor and subject, break-glass session, request id, IP and user agent, outcome (success,
--     denied, failed) with the error code, and a redacted before/after diff;
--   - reading: a clinic's entries, for a request holding audit.read in that clinic (the Clinic's
--     audit-log viewer); nothing else is readable by the runtime role.

-- 1. Set the 0001 table aside; its rows move at step 6.
alter table audit_log rename to audit_log_v1;
alter index audit_log_pkey rename to audit_log_v1_pkey;
alter index audit_log_organization_idx rename to audit_log_v1_organization_idx;
alter index audit_log_write_idx rename to audit_log_v1_write_idx;
alter sequence audit_log_id_seq rename to audit_log_v1_id_seq;
-- The owner reads its own rows to move them (FORCE would hide them: no policy admits a SELECT).
alter table audit_log_v1 no force row level security;

create schema audit_log_partitions;
revoke all on schema audit_log_partitions from public;

-- 2. The partitioned table. chain_seq, prev_id, prev_hash and entry_hash are set by the trigger,
--    whatever an INSERT says; the runtime role cannot name them (column grants, step 8), nor
--    occurred_at, so nobody backdates an entry.
create table audit_log (
  id                     bigint generated always as identity,
  occurred_at            timestamptz not null default clock_timestamp(),
  organization_id        uuid,
  chain_seq              bigint not null check (chain_seq >= 1),
  prev_id                bigint,
  prev_hash              bytea check (octet_length(prev_hash) = 32),
  entry_hash             bytea not null check (octet_length(entry_hash) = 32),
  request_id             text not null check (length(request_id) between 1 and 200),
  actor_principal_id     uuid not null,
  -- Whom the actor acted for (impersonation, an agent working for its owner); null when for themself.
  subject_principal_id   uuid,
  -- The break-glass session that allowed the access, when there is one (break-glass comes later).
  break_glass_session_id uuid,
  action                 text not null,
  entity_type            text not null,
  entity_id              text not null,
  write_id               uuid,
  outcome                text not null default 'success' check (outcome in ('success', 'denied', 'failed')),
  -- A code of the shared vocabulary (sync-rules/errors.ts), never an error's text.
  error_code             text check (error_code ~ '^[A-Z][A-Z_]{0,63}$'),
  ip_address             inet,
  user_agent             text check (length(user_agent) <= 512),
  -- What the caller asked for, and what changed in the row: personal, health and secret values are
  -- replaced by their class ("[personal]") before they get here (server/audit/redact.ts).
  changes                jsonb not null default '{}'::jsonb,
  diff                   jsonb,
  constraint audit_log_pkey primary key (id, occurred_at),
  constraint audit_log_outcome_code check ((outcome = 'success') = (error_code is null)),
  constraint audit_log_chain_start check ((prev_hash is null) = (prev_id is null) and (prev_hash is null) = (chain_seq = 1))
) partition by range (occurred_at);

-- The viewer pages a clinic's chain newest first; the verifier reads each chain in order.
create index audit_log_chain_idx on audit_log (organization_id, chain_seq);
create index audit_log_entity_idx on audit_log (organization_id, entity_type, entity_id);
create index audit_log_write_idx on audit_log (write_id) where write_id is not null;

-- 3. Each chain's head and, once old partitions are detached, its archive checkpoint: the last
--    entry that left with them, which the first remaining entry links to.
create table audit_chains (
  chain_key             text primary key
                        check (chain_key = 'platform' or chain_key ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  last_seq              bigint not null,
  last_id               bigint not null,
  last_hash             bytea not null,
  last_occurred_at      timestamptz not null,
  archived_through_seq  bigint,
  archived_through_id   bigint,
  archived_through_hash bytea,
  constraint audit_chains_checkpoint check ((archived_through_seq is null) = (archived_through_hash is null)
                                        and (archived_through_seq is null) = (archived_through_id is null))
);
alter table audit_chains enable row level security;
alter table audit_chains force row level security;
-- Only the owner's code touches it: the chaining trigger and audit_detach_partition (both owner's).
create policy audit_chains_owner on audit_chains to restartix_owner using (true) with check (true);

-- 4. Chaining. Canonical content, version 1: the UTF-8 bytes of the line `restartix.audit.v1`
--    followed, each on a new line (\n), by these fields in this order, each written as `~` when
--    null, else as `<byte length>:<text>`:
--      id, organization_id, chain_seq, prev_id, prev_hash (lowercase hex), occurred_at (UTC,
--      YYYY-MM-DDTHH:MI:SS.ffffffZ), request_id, actor_principal_id, subject_principal_id,
--      break_glass_session_id, action, entity_type, entity_id, write_id, outcome, error_code,
--      ip_address (inet's text form, with its mask), user_agent, changes and diff (jsonb's text
--      form, which Postgres normalises: keys sorted, one spacing).
--    entry_hash = sha256(canonical content). The length prefix makes the encoding unambiguous
--    without trusting two JSON serialisers to escape alike.
create function audit_canonical_field(value text) returns text
language sql immutable strict
set search_path = pg_catalog, pg_temp
as $$ select pg_catalog.octet_length(pg_catalog.convert_to(value, 'UTF8'))::text || ':' || value $$;

create function audit_log_chain() returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  chain text := coalesce(new.organization_id::text, 'platform');
  head record;
  f text[];
begin
  -- One writer per chain at a time, until its transaction ends: the next writer reads this head.
  perform pg_catalog.pg_advisory_xact_lock(7212012, pg_catalog.hashtext(chain));
  select c.last_seq, c.last_id, c.last_hash, c.last_occurred_at into head
  from public.audit_chains c where c.chain_key = chain;
  if found then
    new.chain_seq := head.last_seq + 1;
    new.prev_id := head.last_id;
    new.prev_hash := head.last_hash;
    -- Time never runs backwards along a chain, so each partition holds a contiguous stretch of it
    -- (what detaching relies on). A row is routed to its partition before this trigger runs and
    -- cannot move: an entry that waited for the lock across the turn of a month is refused (retry).
    if new.occurred_at < head.last_occurred_at then
      if pg_catalog.date_trunc('month', new.occurred_at at time zone 'UTC')
         <> pg_catalog.date_trunc('month', head.last_occurred_at at time zone 'UTC') then
        raise exception 'audit entry crossed the turn of a month while waiting for its chain; retry'
          using errcode = 'serialization_failure';
      end if;
      new.occurred_at := head.last_occurred_at;
    end if;
  else
    new.chain_seq := 1;
    new.prev_id := null;
    new.prev_hash := null;
  end if;
  f := array[
    new.id::text, new.organization_id::text, new.chain_seq::text, new.prev_id::text,
    pg_catalog.encode(new.prev_hash, 'hex'),
    pg_catalog.to_char(new.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    new.request_id, new.actor_principal_id::text, new.subject_principal_id::text,
    new.break_glass_session_id::text, new.action, new.entity_type, new.entity_id, new.write_id::text,
    new.outcome, new.error_code, new.ip_address::text, new.user_agent, new.changes::text, new.diff::text];
  new.entry_hash := pg_catalog.sha256(pg_catalog.convert_to(
    'restartix.audit.v1' || E'\n' ||
    pg_catalog.array_to_string(array(select coalesce(public.audit_canonical_field(v), '~') from pg_catalog.unnest(f) with ordinality as u(v, n) order by n), E'\n'),
    'UTF8'));
  insert into public.audit_chains as c (chain_key, last_seq, last_id, last_hash, last_occurred_at)
  values (chain, new.chain_seq, new.id, new.entry_hash, new.occurred_at)
  on conflict (chain_key) do update
    set last_seq = excluded.last_seq, last_id = excluded.last_id, last_hash = excluded.last_hash,
        last_occurred_at = excluded.last_occurred_at;
  return new;
end $$;
revoke all on function audit_canonical_field(text) from public;
revoke all on function audit_log_chain() from public;

-- A BEFORE ROW trigger on the partitioned table is cloned onto every partition, present and future:
-- an INSERT straight into a partition is chained too.
create trigger audit_log_chain before insert on audit_log
  for each row execute function audit_log_chain();

-- 5. Append-only (audit_log_append_only() is 0001's). Statement triggers guard the table; the row
--    trigger is cloned onto every partition, and each partition gets its own TRUNCATE guard
--    (step 7), so going around the parent changes nothing either.
create trigger audit_log_no_update before update or delete on audit_log
  for each statement execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
create trigger audit_log_no_row_change before update or delete on audit_log
  for each row execute function audit_log_append_only();

-- 6. Partitions. Names are audit_log_partitions.audit_log_YYYY_MM, bounds are UTC months. Each is
--    RLS-enabled and forced with no policy of its own (nobody reads a partition directly; reads go
--    through audit_log and its policies) and guarded against TRUNCATE.
create function audit_create_partition(month date) returns text
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
declare
  starts timestamp := pg_catalog.date_trunc('month', month::timestamp);
  name text := 'audit_log_' || pg_catalog.to_char(starts, 'YYYY_MM');
begin
  if pg_catalog.to_regclass('audit_log_partitions.' || pg_catalog.quote_ident(name)) is not null then
    return null;
  end if;
  execute pg_catalog.format('create table audit_log_partitions.%I partition of public.audit_log for values from (%L) to (%L)',
    name, starts at time zone 'UTC', (starts + interval '1 month') at time zone 'UTC');
  execute pg_catalog.format('alter table audit_log_partitions.%I enable row level security', name);
  execute pg_catalog.format('alter table audit_log_partitions.%I force row level security', name);
  execute pg_catalog.format('create trigger audit_log_no_truncate before truncate on audit_log_partitions.%I '
    'for each statement execute function public.audit_log_append_only()', name);
  return name;
end $$;
revoke all on function audit_create_partition(date) from public;

-- The month now and the next two, created if missing; returns the names it created. Plain SQL for
-- the job runner to call daily (and the stack at every start). SECURITY DEFINER so that the runtime
-- role may call it too: it takes no input and only ever creates these three.
create function audit_ensure_partitions() returns setof text
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
-- Creating a partition locks audit_log briefly: give up rather than queue writers behind a long
-- transaction. The partitions are made two months ahead, so a later call has time to succeed.
set lock_timeout = '5s'
as $$
declare
  this_month timestamp := pg_catalog.date_trunc('month', pg_catalog.clock_timestamp() at time zone 'UTC');
  created text;
begin
  perform pg_catalog.pg_advisory_xact_lock(7212112, 0);
  for step in 0..2 loop
    created := public.audit_create_partition((this_month + pg_catalog.make_interval(months => step))::date);
    if created is not null then
      return next created;
    end if;
  end loop;
end $$;
revoke all on function audit_ensure_partitions() from public;
grant execute on function audit_ensure_partitions() to restartix_app;

-- 7. Move the rows of 0001..0011 over, oldest first, so each chain starts with them. Their ids and
--    moments are kept; the trigger chains them. Partitions for their months come first.
alter table audit_log enable row level security;
select public.audit_create_partition(m::date)
from pg_catalog.generate_series(
  pg_catalog.date_trunc('month', coalesce((select min(occurred_at) from audit_log_v1), pg_catalog.clock_timestamp()) at time zone 'UTC'),
  pg_catalog.date_trunc('month', pg_catalog.clock_timestamp() at time zone 'UTC'),
  interval '1 month') as m;
select public.audit_ensure_partitions();
insert into audit_log (id, occurred_at, request_id, actor_principal_id, organization_id, action, entity_type,
                       entity_id, write_id, changes)
  overriding system value
  select id, occurred_at, request_id, actor_principal_id, organization_id, action, entity_type, entity_id,
         write_id, changes
  from audit_log_v1 order by occurred_at, id;
select pg_catalog.setval(pg_catalog.pg_get_serial_sequence('public.audit_log', 'id'),
                         coalesce((select max(id) from audit_log_v1), 0) + 1, false);
-- Dropping fires no DELETE or TRUNCATE trigger; its policies and triggers go with it.
drop table audit_log_v1;

-- 8. Who may do what. Deny by default, for the owner too.
alter table audit_log force row level security;

grant insert (request_id, actor_principal_id, subject_principal_id, break_glass_session_id, organization_id,
              action, entity_type, entity_id, write_id, outcome, error_code, ip_address, user_agent,
              changes, diff)
  on audit_log to restartix_app;
grant select on audit_log to restartix_app;

-- 0001's policy, unchanged: a request appends rows of its own principal only.
create policy audit_log_append on audit_log for insert to restartix_app
  with check (actor_principal_id::text = nullif(current_setting('app.principal_id', true), ''));
-- 0010's, unchanged: the platform-role functions append their row through their window.
create policy audit_log_platform_roles on audit_log for insert to restartix_owner
  with check (pg_catalog.current_setting('app.platform_roles_window', true) = 'open'
    and action in ('platform_role.granted', 'platform_role.changed', 'platform_role.revoked')
    and entity_type = 'human'
    and entity_id = pg_catalog.current_setting('app.platform_role_target', true)
    and actor_principal_id = nullif(pg_catalog.current_setting('app.principal_id', true), '')::uuid);
-- A clinic's entries, for whoever holds audit.read in the clinic the request works in. Platform
-- entries (organization_id null) are nobody's here.
create policy audit_log_clinic_read on audit_log for select to restartix_app
  using (app_can(organization_id, 'audit.read'));
-- The owner's own reads (archiving, and `npm run audit:verify` run with the owner's URL) open this
-- window in their transaction; nothing a request runs is the owner.
create policy audit_log_owner_read on audit_log for select to restartix_owner
  using (pg_catalog.current_setting('app.audit_owner_read', true) = 'on');

-- 9. Detaching the oldest month (archiving). Refuses the current month and later, and any partition
--    but the oldest still attached, so what remains of every chain is one unbroken stretch. Each
--    chain's checkpoint moves to its last entry in the partition, which the verifier then links the
--    first remaining entry to. The detached table keeps its rows and its guards, in
--    audit_log_partitions, until it is dumped and dropped (docs/adr/0013-audit-log.md). Owner only.
create function audit_detach_partition(partition_name text) returns void
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
declare
  part regclass := pg_catalog.to_regclass('audit_log_partitions.' || pg_catalog.quote_ident(partition_name));
  month timestamp;
  older text;
begin
  if partition_name !~ '^audit_log_[0-9]{4}_[0-9]{2}$' or part is null or not exists (select 1 from pg_catalog.pg_inherits i
                                 where i.inhrelid = part and i.inhparent = 'public.audit_log'::regclass) then
    raise exception 'no attached audit partition %', partition_name using errcode = 'undefined_table';
  end if;
  month := pg_catalog.to_date(pg_catalog.substr(partition_name, 11), 'YYYY_MM')::timestamp;
  if month + interval '1 month' > pg_catalog.date_trunc('month', pg_catalog.clock_timestamp() at time zone 'UTC') then
    raise exception 'audit partition % is not over yet', partition_name using errcode = 'object_in_use';
  end if;
  select c.relname into older
  from pg_catalog.pg_inherits i join pg_catalog.pg_class c on c.oid = i.inhrelid
  where i.inhparent = 'public.audit_log'::regclass and c.relname < partition_name
  order by c.relname limit 1;
  if older is not null then
    raise exception 'detach % first: audit partitions leave oldest first', older using errcode = 'object_in_use';
  end if;
  perform pg_catalog.set_config('app.audit_owner_read', 'on', true);
  update public.audit_chains c
    set archived_through_seq = last_of.chain_seq, archived_through_id = last_of.id, archived_through_hash = last_of.entry_hash
    from (select distinct on (coalesce(a.organization_id::text, 'platform'))
            coalesce(a.organization_id::text, 'platform') as chain_key, a.chain_seq, a.id, a.entry_hash
          from public.audit_log a
          where a.occurred_at >= month at time zone 'UTC' and a.occurred_at < (month + interval '1 month') at time zone 'UTC'
          order by coalesce(a.organization_id::text, 'platform'), a.chain_seq desc) as last_of
    where c.chain_key = last_of.chain_key;
  perform pg_catalog.set_config('app.audit_owner_read', '', true);
  execute pg_catalog.format('alter table public.audit_log detach partition audit_log_partitions.%I', partition_name);
  -- Detaching removes the cloned row triggers: the archived table stays append-only on its own.
  execute pg_catalog.format('create trigger audit_log_no_row_change before update or delete on audit_log_partitions.%I '
    'for each row execute function public.audit_log_append_only()', partition_name);
end $$;
revoke all on function audit_detach_partition(text) from public;
