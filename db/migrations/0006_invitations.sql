-- Invitations and patient share-links (plan 1B.12). Runs as restartix_owner. Nothing here is in the
-- publication: invitations are managed over /api/v1 (server/invitations/), never synced.
--
-- How a request reaches a row it has no membership for. An invitee is not yet a member of the clinic
-- and a patient joining by a poster's code never will be one, so the policies keyed on the active
-- organisation cannot admit them. What admits them is what they present: the server hashes the
-- presented invitation token, or normalises the presented share-link code, and puts it in a
-- transaction-local setting (app.invitation_token_hash, app.share_link_code), exactly as it sets
-- app.principal_id. The policies below admit the one row that setting names, and nothing else. The
-- setting is written by the server only; a client never chooses it, and without it these policies
-- admit nothing.

-- 1. Personal invitations, by email, to join a clinic as staff (kind 'member', with a role) or as a
--    named patient (kind 'patient': intent only, until the patients issue links the person to the
--    clinic as a patient). At most one open invitation per clinic, address and kind; an open one that
--    has expired is renewed by resending it, not by inviting again.
create table invitations (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references organizations (id) on delete cascade,
  kind             text not null constraint invitations_kind_check check (kind in ('member', 'patient')),
  email            text not null constraint invitations_email_shape
                     check (email = lower(email) and length(email) <= 320 and email like '%_@_%'),
  -- Whom the mail greets; optional.
  name             text constraint invitations_name_check check (length(btrim(name)) between 1 and 200),
  role             text constraint invitations_role_check
                     check (role in ('owner', 'admin', 'specialist', 'receptionist', 'billing', 'staff')),
  locale           text not null default 'ro' constraint invitations_locale_check check (locale in ('ro', 'en')),
  expires_at       timestamptz not null,
  created_by       uuid references humans (principal_id) on delete set null,
  created_at       timestamptz not null default clock_timestamp(),
  sent_count       integer not null default 1 constraint invitations_sent_count_check check (sent_count >= 1),
  last_sent_at     timestamptz not null default clock_timestamp(),
  accepted_at      timestamptz,
  accepted_by      uuid references principals (id) on delete set null,
  revoked_at       timestamptz,
  constraint invitations_role_matches_kind check ((kind = 'member') = (role is not null)),
  constraint invitations_accepted_or_revoked check (accepted_at is null or revoked_at is null),
  constraint invitations_accepted_by_when_accepted check (accepted_by is null or accepted_at is not null)
);
create unique index invitations_one_open_key on invitations (organization_id, email, kind)
  where accepted_at is null and revoked_at is null;
create index invitations_organization_idx on invitations (organization_id, created_at);

-- 2. The tokens an invitation was sent with. The link carries 32 random bytes; only their SHA-256 is
--    stored (a fast hash is right for a 256-bit random secret, as for API keys). Every send issues a
--    new token and supersedes the previous one, which is kept (hash only) so that an old link is
--    refused as superseded rather than as unknown. One live token per invitation.
create table invitation_tokens (
  token_hash       bytea primary key constraint invitation_tokens_hash_sha256 check (octet_length(token_hash) = 32),
  invitation_id    uuid not null references invitations (id) on delete cascade,
  organization_id  uuid not null references organizations (id) on delete cascade,
  issued_at        timestamptz not null default clock_timestamp(),
  superseded_at    timestamptz
);
create unique index invitation_tokens_one_live_key on invitation_tokens (invitation_id) where superseded_at is null;

-- The database keeps what an invitation is and when its life ended: who, where and as what never
-- change; acceptance and revocation are final and stamped by the database clock; an expired
-- invitation cannot be accepted, whatever the server believed a moment earlier.
create function invitations_guard() returns trigger language plpgsql as $$
begin
  if new.organization_id <> old.organization_id or new.kind <> old.kind or new.email <> old.email
     or new.role is distinct from old.role or new.created_at <> old.created_at then
    raise exception 'invitation % cannot change whom it invites, where or as what', old.id
      using errcode = 'check_violation', constraint = 'invitations_identity_is_fixed';
  end if;
  if (old.accepted_at is not null or old.revoked_at is not null)
     and (new.accepted_at is distinct from old.accepted_at or new.revoked_at is distinct from old.revoked_at
          or new.expires_at <> old.expires_at or new.sent_count <> old.sent_count) then
    raise exception 'invitation % is closed; a closed invitation cannot change', old.id
      using errcode = 'check_violation', constraint = 'invitations_closed_is_final';
  end if;
  if old.accepted_at is null and new.accepted_at is not null then
    if old.expires_at <= clock_timestamp() then
      raise exception 'invitation % has expired', old.id
        using errcode = 'check_violation', constraint = 'invitations_accept_before_expiry';
    end if;
    new.accepted_at := clock_timestamp();
  end if;
  if old.revoked_at is null and new.revoked_at is not null then
    new.revoked_at := clock_timestamp();
  end if;
  return new;
end $$;

create trigger invitations_guard before update on invitations
  for each row execute function invitations_guard();

-- 3. Patient share-links: multi-use codes for posters and intake desks. The code is stored as it is
--    printed. It is meant to hang on a waiting-room wall, so it is not a secret (data class internal):
--    it lets whoever reads it ask to join this clinic as a patient, which the poster already offers
--    to anyone passing by, and opens no clinic data. Keeping it lets a clinic reprint a poster (its QR
--    code) at any time; a hashed code would make every lost poster a new code. Its controls are
--    expiry, a maximum of uses and revocation, all checked here as well as in the server.
--    Alphabet: digits and capitals without 0 O 1 I L U (read aloud and typed without confusion).
create table share_links (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references organizations (id) on delete cascade,
  code             text not null constraint share_links_code_shape check (code ~ '^[2-9A-HJKMNP-TV-Z]{8}$'),
  label            text not null constraint share_links_label_check check (length(btrim(label)) between 1 and 200),
  expires_at       timestamptz not null,
  -- Null: no limit.
  max_uses         integer constraint share_links_max_uses_check check (max_uses between 1 and 1000000),
  uses             integer not null default 0 constraint share_links_uses_check check (uses >= 0),
  created_by       uuid references humans (principal_id) on delete set null,
  created_at       timestamptz not null default clock_timestamp(),
  revoked_at       timestamptz,
  constraint share_links_code_key unique (code),
  -- Lets a join prove that its organisation is its link's.
  constraint share_links_id_organization_key unique (id, organization_id),
  constraint share_links_uses_within_max check (max_uses is null or uses <= max_uses)
);
create index share_links_organization_idx on share_links (organization_id, created_at);

-- Uses go up one join at a time, and only while the link is live; revocation is final and stamped.
create function share_links_guard() returns trigger language plpgsql as $$
begin
  if new.organization_id <> old.organization_id or new.code <> old.code or new.created_at <> old.created_at then
    raise exception 'share link % cannot change its clinic or code', old.id
      using errcode = 'check_violation', constraint = 'share_links_identity_is_fixed';
  end if;
  if old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at then
    raise exception 'share link % is revoked; revocation is final', old.id
      using errcode = 'check_violation', constraint = 'share_links_revocation_is_final';
  end if;
  if old.revoked_at is null and new.revoked_at is not null then
    new.revoked_at := clock_timestamp();
  end if;
  if new.uses <> old.uses then
    if new.uses <> old.uses + 1 then
      raise exception 'share link % counts one join at a time', old.id
        using errcode = 'check_violation', constraint = 'share_links_uses_step';
    end if;
    if old.revoked_at is not null or new.revoked_at is not null or old.expires_at <= clock_timestamp() then
      raise exception 'share link % is no longer live', old.id
        using errcode = 'check_violation', constraint = 'share_links_join_while_live';
    end if;
  end if;
  return new;
end $$;

create trigger share_links_guard before update on share_links
  for each row execute function share_links_guard();

-- 4. Who joined through which link, once per person and link. Creating the patient record from a
--    join belongs to the patients issue.
create table share_link_joins (
  id               uuid primary key default gen_random_uuid(),
  share_link_id    uuid not null,
  organization_id  uuid not null,
  principal_id     uuid not null references humans (principal_id) on delete cascade,
  joined_at        timestamptz not null default clock_timestamp(),
  constraint share_link_joins_link_fkey foreign key (share_link_id, organization_id)
    references share_links (id, organization_id) on delete cascade,
  constraint share_link_joins_once_key unique (share_link_id, principal_id)
);
create index share_link_joins_principal_idx on share_link_joins (principal_id);

alter table invitations enable row level security;
alter table invitations force row level security;
alter table invitation_tokens enable row level security;
alter table invitation_tokens force row level security;
alter table share_links enable row level security;
alter table share_links force row level security;
alter table share_link_joins enable row level security;
alter table share_link_joins force row level security;

-- 5. What the runtime role may do, by column. Timestamps of creation and the counters' defaults are
--    the database's. The token hash is readable (a lookup is by hash) but never listed; it cannot be
--    turned back into a token.
grant select on invitations to restartix_app;
grant insert (id, organization_id, kind, email, name, role, locale, expires_at, created_by) on invitations to restartix_app;
grant update (expires_at, sent_count, last_sent_at, accepted_at, accepted_by, revoked_at) on invitations to restartix_app;
grant select on invitation_tokens to restartix_app;
grant insert (token_hash, invitation_id, organization_id) on invitation_tokens to restartix_app;
grant update (superseded_at) on invitation_tokens to restartix_app;
grant select on share_links to restartix_app;
grant insert (id, organization_id, code, label, expires_at, max_uses, created_by) on share_links to restartix_app;
grant update (uses, revoked_at) on share_links to restartix_app;
grant select on share_link_joins to restartix_app;
grant insert (id, share_link_id, organization_id, principal_id) on share_link_joins to restartix_app;

-- 6. Owners and admins of the organisation the request works in (members.manage in
--    sync-rules/permissions.ts) manage its invitations and share-links. Only an owner may invite an
--    owner. A row's creator is the acting principal.
create policy invitations_managers_read on invitations for select to restartix_app
  using (app_manages_organization(organization_id));
create policy invitations_managers_create on invitations for insert to restartix_app
  with check (app_manages_organization(organization_id)
    and (role is distinct from 'owner' or current_setting('app.membership_role', true) = 'owner')
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy invitations_managers_update on invitations for update to restartix_app
  using (app_manages_organization(organization_id))
  with check (app_manages_organization(organization_id));

create policy invitation_tokens_managers on invitation_tokens to restartix_app
  using (app_manages_organization(organization_id))
  with check (app_manages_organization(organization_id));

create policy share_links_managers_read on share_links for select to restartix_app
  using (app_manages_organization(organization_id));
create policy share_links_managers_create on share_links for insert to restartix_app
  with check (app_manages_organization(organization_id)
    and created_by = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy share_links_managers_update on share_links for update to restartix_app
  using (app_manages_organization(organization_id))
  with check (app_manages_organization(organization_id));

-- 7. Whoever presents a token sees that token's invitation; the person it was sent to (their
--    address, which sign-in has verified) may accept it, as themself. The server also checks the
--    verified address and every state; these policies are the floor beneath it.
create policy invitation_tokens_presented on invitation_tokens for select to restartix_app
  using (token_hash = decode(nullif(current_setting('app.invitation_token_hash', true), ''), 'hex'));
create policy invitations_presented_read on invitations for select to restartix_app
  using (id in (select t.invitation_id from invitation_tokens t
    where t.token_hash = decode(nullif(current_setting('app.invitation_token_hash', true), ''), 'hex')));
create policy invitations_invitee_accept on invitations for update to restartix_app
  using (id in (select t.invitation_id from invitation_tokens t
      where t.token_hash = decode(nullif(current_setting('app.invitation_token_hash', true), ''), 'hex'))
    and email = (select h.email from humans h where h.principal_id = nullif(current_setting('app.principal_id', true), '')::uuid))
  with check (email = (select h.email from humans h where h.principal_id = nullif(current_setting('app.principal_id', true), '')::uuid)
    and accepted_by = nullif(current_setting('app.principal_id', true), '')::uuid);

-- Whoever presents a code sees that link, counts their join on it and records it, as themself.
create policy share_links_presented_read on share_links for select to restartix_app
  using (code = nullif(current_setting('app.share_link_code', true), ''));
create policy share_links_presented_join on share_links for update to restartix_app
  using (code = nullif(current_setting('app.share_link_code', true), ''))
  with check (code = nullif(current_setting('app.share_link_code', true), ''));
create policy share_link_joins_own_read on share_link_joins for select to restartix_app
  using (principal_id = nullif(current_setting('app.principal_id', true), '')::uuid);
create policy share_link_joins_own_create on share_link_joins for insert to restartix_app
  with check (principal_id = nullif(current_setting('app.principal_id', true), '')::uuid
    and share_link_id in (select s.id from share_links s
      where s.organization_id = share_link_joins.organization_id
        and s.code = nullif(current_setting('app.share_link_code', true), '')));

-- The clinic an invitation or a code leads to: its name is what the person is shown on accepting or
-- joining, before (or, for a patient, without) any membership.
create policy organizations_presented_capability on organizations for select to restartix_app
  using (id in (select t.organization_id from invitation_tokens t
      where t.token_hash = decode(nullif(current_setting('app.invitation_token_hash', true), ''), 'hex'))
    or id in (select s.organization_id from share_links s
      where s.code = nullif(current_setting('app.share_link_code', true), '')));

-- 8. A membership is created under RLS only by accepting a member invitation for that clinic and
--    role, as the invited person, in the same transaction (accepted_at is stamped by the clock within
--    it, so it is not before the transaction's start). RESTRICTIVE: it narrows the generated
--    memberships_access policy, which on its own would let any principal write a membership of their
--    own anywhere. A future path (an owner adding someone directly) widens this policy on purpose.
create policy memberships_insert_by_invitation on memberships as restrictive for insert to restartix_app
  with check (
    principal_id = nullif(current_setting('app.principal_id', true), '')::uuid
    and exists (select 1 from invitations i
      where i.organization_id = memberships.organization_id
        and i.kind = 'member'
        and i.role = memberships.role
        and i.accepted_by = memberships.principal_id
        and i.accepted_at >= now()));
