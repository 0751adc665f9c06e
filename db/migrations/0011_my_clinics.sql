-- The clinics a person joined as a patient (GET /api/v1/me/clinics, the Portal's home). A patient who
-- joined through a share-link code, or accepted a patient invitation, is not a member of the clinic,
-- so no earlier policy lets them read that clinic's name once the code or token is no longer
-- presented. These admit exactly that: their own accepted invitations, and the name of each clinic
-- they joined, read as themselves. Nothing here is synced (the RLS-equals-sync harness is about
-- memberships; a patient's synced slice is the patients issue's), and no clinic data beyond its row
-- in organizations is opened.

create policy invitations_own_accepted_read on invitations for select to restartix_app
  using (accepted_by = nullif(current_setting('app.principal_id', true), '')::uuid);

-- organizations is synced, and what RLS shows a principal must equal what sync sends them (the
-- harness in sync-rules/). A patient's clinics are not synced yet, so this policy opens only inside
-- the request that lists them: the server sets app.reading_own_clinics there and nowhere else.
create policy organizations_joined_read on organizations for select to restartix_app
  using (current_setting('app.reading_own_clinics', true) = 'on'
    and (id in (select j.organization_id from share_link_joins j
               where j.principal_id = nullif(current_setting('app.principal_id', true), '')::uuid)
      or id in (select i.organization_id from invitations i
               where i.kind = 'patient' and i.accepted_by = nullif(current_setting('app.principal_id', true), '')::uuid)));
