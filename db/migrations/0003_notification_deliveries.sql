-- One row per email the platform sends (server/notify/): what makes `notify.send` idempotent and
-- what records a transport failure. Never replicated: not in the publication.
--
-- Who writes it. Mail goes out after commit, outside any principal's request (a password reset has
-- nobody signed in), so the runtime role, whose policies all key on the acting principal, is the
-- wrong writer. The server's own login, restartix_api, writes it directly instead:
--   - restartix_app gets no grant at all, so no request (mutator, query, route under actAs()) can
--     read or write another tenant's, or anyone's, deliveries;
--   - restartix_api gets select + insert and update of the outcome columns only, never delete;
--   - the policy also requires that no principal is set, so even the api login cannot touch the
--     table inside a request's transaction (for instance after stopActing() in a Zero mutate).
-- A dedicated role would need a cluster-level change (db/bootstrap.ts) on every deployment for the
-- same guarantee; this is one grant on one table.

create table notification_deliveries (
  id                  uuid primary key default gen_random_uuid(),
  -- Chosen by the caller, e.g. `password_reset:<request id>`; never personal data.
  idempotency_key     text not null check (length(idempotency_key) between 1 and 200),
  -- The closed vocabulary lives in server/notify/categories.ts; a new category needs no migration.
  category            text not null check (category ~ '^[a-z][a-z0-9_]{0,62}$'),
  recipient_email     text not null check (length(recipient_email) <= 320 and recipient_email like '%_@_%'),
  locale              text not null check (locale in ('ro', 'en')),
  -- sending: claimed by a sender (stale after a lease, see server/notify/deliveries.ts);
  -- sent: the SMTP server accepted it; failed: the transport refused it, a retry may claim it again.
  status              text not null check (status in ('sending', 'sent', 'failed')),
  attempts            integer not null default 1 check (attempts >= 1),
  provider_message_id text check (length(provider_message_id) <= 1000),
  -- The last attempt's failure. SMTP replies can quote the recipient's address: personal data.
  last_error          text check (length(last_error) <= 2000),
  sent_at             timestamptz,
  created_at          timestamptz not null default clock_timestamp(),
  updated_at          timestamptz not null default clock_timestamp(),
  constraint notification_deliveries_idempotency_key_key unique (idempotency_key),
  constraint notification_deliveries_sent_at_matches_status check ((status = 'sent') = (sent_at is not null))
);

create trigger notification_deliveries_stamp before insert or update on notification_deliveries
  for each row execute function stamp_timestamps();

alter table notification_deliveries enable row level security;
alter table notification_deliveries force row level security;

grant select, insert on notification_deliveries to restartix_api;
grant update (status, attempts, provider_message_id, last_error, sent_at) on notification_deliveries to restartix_api;

create policy notification_deliveries_server on notification_deliveries to restartix_api
  using (nullif(current_setting('app.principal_id', true), '') is null)
  with check (nullif(current_setting('app.principal_id', true), '') is null);
