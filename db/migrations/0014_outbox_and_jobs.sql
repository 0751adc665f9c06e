-- The transactional outbox and the job queue (issue 4, item 6; docs/adr/0015-outbox-and-jobs.md).
-- Runs as restartix_owner, after graphile-worker's own migrations have created the schema
-- graphile_worker (db/job-queue.ts, called by db/migrate.ts before our files). Nothing here is in
-- the publication: events, their handling and the queue never reach zero-cache.
--
-- Who does what:
--   - restartix_app (every request, under RLS) records events, as itself and in its own clinic, in
--     the transaction of the change that causes them (server/events/record-event.ts). It can neither
--     read events back nor reach the queue: a request cannot enqueue work, only state what happened.
--   - a trigger (SECURITY DEFINER, the owner) enqueues one `outbox.dispatch` job per event, in that
--     same transaction: an event that commits is always dispatched, one that rolls back never is.
--   - restartix_api, the server's login, runs the job runner (server/jobs/): graphile-worker's tables,
--     reading events, marking them dispatched, recording what was handled, erasing secrets. Like
--     notification_deliveries (0003), only outside any request: the policies require that no
--     principal is set, so a request's transaction cannot touch them even as the api login.
--   - the identity service's mails have no principal and no transaction of ours (better-auth owns
--     it): the api login records them, as events without actor or clinic.

-- 1. Domain events: what happened, once, with a payload checked against the events registry
--    (server/events/registry.ts) before it is written.
create table domain_events (
  -- Chosen by the writer, so that the writer needs no RETURNING (and so no SELECT).
  id                  uuid primary key,
  name                text not null constraint domain_events_name_shape check (name ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$' and length(name) <= 100),
  version             integer not null constraint domain_events_version_check check (version between 1 and 1000),
  organization_id     uuid references organizations (id) on delete cascade,
  actor_principal_id  uuid references principals (id) on delete set null,
  request_id          text constraint domain_events_request_id_check check (length(request_id) <= 64),
  -- Ids and what handlers need (an invitation's address and name, say): personal data, never health.
  payload             jsonb not null constraint domain_events_payload_object check (jsonb_typeof(payload) = 'object'),
  -- Credentials a handler needs once (the token of an invitation link, a sign-in link), only ever
  -- encrypted (server/events/event-secrets.ts): under the clinic's data key for an event of a clinic,
  -- under the identity service's key (better-auth's scheme, AUTH_TOKEN_SECRET) for an event of none.
  -- Erased when every handler has handled the event, and after 90 days whatever happened.
  secret              encrypted_field,
  identity_secret     text,
  occurred_at         timestamptz not null default clock_timestamp(),
  -- Set by the dispatch job, in the transaction that enqueues one job per handler.
  dispatched_at       timestamptz,
  constraint domain_events_secret_of_a_clinic check (secret is null or organization_id is not null),
  constraint domain_events_identity_secret_shape
    check (identity_secret is null or (identity_secret ~ '^[0-9a-f]{80,}$' and organization_id is null))
);
create index domain_events_undispatched_idx on domain_events (occurred_at) where dispatched_at is null;
create index domain_events_secret_idx on domain_events (occurred_at) where secret is not null or identity_secret is not null;
create index domain_events_organization_idx on domain_events (organization_id, occurred_at);

-- 2. Which handler has handled which event: written in the handler's own transaction, with its
--    effect, so that a job run again after a crash finds the row and does nothing.
create table handled_events (
  event_id    uuid not null references domain_events (id) on delete cascade,
  handler     text not null constraint handled_events_handler_shape check (handler ~ '^[a-z][a-z0-9_.-]{0,99}$'),
  handled_at  timestamptz not null default clock_timestamp(),
  primary key (event_id, handler)
);

alter table domain_events enable row level security;
alter table domain_events force row level security;
alter table handled_events enable row level security;
alter table handled_events force row level security;

grant insert on domain_events to restartix_app;
grant select, insert on domain_events to restartix_api;
grant update (dispatched_at, secret, identity_secret) on domain_events to restartix_api;
grant select, insert on handled_events to restartix_api;

-- A request records events as its own principal, in its own clinic (or in none).
create policy domain_events_record on domain_events for insert to restartix_app
  with check (actor_principal_id = nullif(current_setting('app.principal_id', true), '')::uuid
    and (organization_id is null or organization_id = nullif(current_setting('app.organization_id', true), '')::uuid));
-- The server's login, outside any request: the runner reads and updates; it records only events
-- nobody acted in (the identity service's mails).
create policy domain_events_server_read on domain_events for select to restartix_api
  using (nullif(current_setting('app.principal_id', true), '') is null);
create policy domain_events_server_record on domain_events for insert to restartix_api
  with check (nullif(current_setting('app.principal_id', true), '') is null and actor_principal_id is null and organization_id is null);
create policy domain_events_server_update on domain_events for update to restartix_api
  using (nullif(current_setting('app.principal_id', true), '') is null)
  with check (nullif(current_setting('app.principal_id', true), '') is null);
create policy handled_events_server on handled_events to restartix_api
  using (nullif(current_setting('app.principal_id', true), '') is null)
  with check (nullif(current_setting('app.principal_id', true), '') is null);

-- 3. Every event is dispatched: the job is enqueued by the database in the writer's transaction.
--    Its payload is the event's id only; what happened stays in domain_events.
create function app_enqueue_domain_event() returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  perform graphile_worker.add_job('outbox.dispatch', pg_catalog.json_build_object('eventId', new.id), max_attempts => 25);
  return null;
end $$;
revoke all on function app_enqueue_domain_event() from public;
create trigger domain_events_enqueue after insert on domain_events
  for each row execute function app_enqueue_domain_event();

-- 4. The queue belongs to the job runner's login. graphile-worker's tables are created by the owner
--    (its migrations run as the owner); the default privileges cover tables of later versions.
grant usage on schema graphile_worker to restartix_api;
grant select, insert, update, delete on all tables in schema graphile_worker to restartix_api;
grant usage, select on all sequences in schema graphile_worker to restartix_api;
grant execute on all functions in schema graphile_worker to restartix_api;
alter default privileges for role restartix_owner in schema graphile_worker
  grant select, insert, update, delete on tables to restartix_api;
alter default privileges for role restartix_owner in schema graphile_worker
  grant usage, select on sequences to restartix_api;
-- graphile-worker enables row-level security on its tables (so that an API generated from the schema
-- exposes nothing). The runner's login owns no table, so it needs a policy on each: the whole queue.
-- A graphile-worker upgrade that adds such a table needs the same policy in a migration of ours (the
-- job runner's tests fail until then).
do $$
declare
  queue_table record;
begin
  for queue_table in
    select c.relname from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'graphile_worker' and c.relkind = 'r' and c.relrowsecurity
  loop
    execute pg_catalog.format('create policy job_runner on graphile_worker.%I to restartix_api using (true) with check (true)', queue_table.relname);
  end loop;
end $$;

-- 5. Dead letters: jobs that used up their attempts. graphile-worker keeps them (it deletes only
--    jobs that succeed); this view names them. Only ids and the error, never a payload: the error is
--    what server/jobs/ wrote, which is a name and a code, never personal data.
--    If a graphile-worker upgrade changes these columns, its migration fails on this view: recreate
--    the view in a new migration of ours.
create view job_dead_letters as
  select j.id as job_id,
         t.identifier as task,
         j.payload ->> 'eventId' as event_id,
         j.payload ->> 'event' as event_name,
         case when j.payload ->> 'version' ~ '^[0-9]{1,4}$' then (j.payload ->> 'version')::integer end as event_version,
         j.payload ->> 'handler' as handler,
         j.attempts,
         j.max_attempts,
         j.last_error,
         j.created_at,
         j.updated_at as failed_at
  from graphile_worker._private_jobs j
  join graphile_worker._private_tasks t on t.id = j.task_id
  where j.attempts >= j.max_attempts and j.locked_at is null;

-- 6. Superadmins (platform.manage) list dead letters and send one back to the queue. SECURITY
--    DEFINER like the platform-role functions of 0010, whose check they share: the request's
--    app.platform_role and the acting person's own humans row must both say superadmin (the owner
--    reads humans through 0010's window policy, opened and closed here).
create function app_job_dead_letters()
returns setof public.job_dead_letters
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  perform pg_catalog.set_config('app.platform_roles_window', 'open', true);
  if public.app_acting_platform_role() is distinct from 'superadmin' then
    raise exception 'only a superadmin reads the dead letters'
      using errcode = 'insufficient_privilege', constraint = 'platform_roles_superadmin_only';
  end if;
  perform pg_catalog.set_config('app.platform_roles_window', '', true);
  return query select * from public.job_dead_letters d order by d.failed_at desc, d.job_id desc;
end $$;

-- Gives a dead job a fresh set of attempts, to run now; false when no dead job has this id.
create function app_retry_dead_letter(dead_job_id bigint) returns boolean
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  perform pg_catalog.set_config('app.platform_roles_window', 'open', true);
  if public.app_acting_platform_role() is distinct from 'superadmin' then
    raise exception 'only a superadmin retries dead letters'
      using errcode = 'insufficient_privilege', constraint = 'platform_roles_superadmin_only';
  end if;
  perform pg_catalog.set_config('app.platform_roles_window', '', true);
  if not exists (select from public.job_dead_letters d where d.job_id = dead_job_id) then
    return false;
  end if;
  perform graphile_worker.reschedule_jobs(array[dead_job_id], run_at => pg_catalog.now(), attempts => 0);
  return true;
end $$;

revoke all on function app_job_dead_letters() from public;
revoke all on function app_retry_dead_letter(bigint) from public;
grant execute on function app_job_dead_letters() to restartix_app;
grant execute on function app_retry_dead_letter(bigint) to restartix_app;
