-- Rate-limit counters (server/rate-limits/, docs/adr/0018-rate-limits.md): one row per limited key
-- and window, shared by every core API replica. The layout is rate-limiter-flexible's own
-- (RateLimiterPostgres inserts positionally: key, points, expire); it is created here and the
-- library is told so (tableCreated: true), so nothing creates or alters tables at runtime.
--
-- Unlogged: a counter needs no crash safety (a crash resets it, which only forgives) and changes on
-- nearly every request; without WAL it stays out of the stream zero-cache decodes and off standbys.
-- Never in the publication.
--
-- Who writes it. Limits are decided before authentication (per address) and right after it (per
-- principal), outside any request's transaction, on the limiter's own pool of the server's login,
-- restartix_api, for the same reasons as notification_deliveries (0003):
--   - restartix_app gets nothing: no request can read or reset anyone's counters;
--   - restartix_api may read, insert, update the two counter columns, and delete (the library
--     removes rows an hour after their window ended);
--   - the policy requires that no principal is set, so not even the api login can touch the table
--     inside a request's transaction.
-- `key` holds a client address or a principal or API key id: personal data, kept no longer than
-- an hour past its window.

create unlogged table rate_limit_counters (
  -- "<class>/<address|caller>:<address or id>", e.g. rest/address:203.0.113.7
  key    varchar(255) primary key,
  points integer not null default 0,
  -- When the window ends, in epoch milliseconds (the library's clock).
  expire bigint
);

alter table rate_limit_counters enable row level security;
alter table rate_limit_counters force row level security;

grant select, insert, delete on rate_limit_counters to restartix_api;
grant update (points, expire) on rate_limit_counters to restartix_api;

create policy rate_limit_counters_server on rate_limit_counters to restartix_api
  using (nullif(current_setting('app.principal_id', true), '') is null)
  with check (nullif(current_setting('app.principal_id', true), '') is null);
