-- Defence in depth: the memberships access rule lets a person see their own memberships, and the
-- same predicate guards writes, so with UPDATE granted a person could change their own role under
-- RLS. No write path changes memberships yet (acceptance inserts under its own restrictive policy);
-- member management will grant what it needs, with its own policy, when it lands.
revoke update on memberships from restartix_app;
