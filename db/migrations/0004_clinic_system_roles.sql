-- The plan's system roles of a clinic (1B.3): owner, admin, specialist, receptionist, billing, plus
-- the spine's read-only `staff`. What each may do is a constant map in sync-rules/permissions.ts.
alter table memberships drop constraint memberships_role_check;
alter table memberships add constraint memberships_role_check
  check (role in ('owner', 'admin', 'specialist', 'receptionist', 'billing', 'staff'));
