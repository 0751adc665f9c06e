/**
 * The four database roles. Names are fixed; passwords come from configuration.
 * - owner:   owns every table, runs migrations. Never used by a request.
 * - runtime: what every request runs as (`SET LOCAL ROLE`); NOBYPASSRLS, owns nothing.
 * - api:     the server's login; NOINHERIT, so it can do nothing until it takes the runtime role,
 *            apart from the sync engine's bookkeeping tables (mutation ids), the email
 *            deliveries it records outside any request (notification_deliveries), and, as the job
 *            runner, the outbox and graphile-worker's queue (0014, ADR 0015).
 * - zero:    zero-cache's replication login; reads every synced row (BYPASSRLS), so its disks are
 *            health-data stores.
 * - auth:    the identity service's login (better-auth): the `auth` schema, and creating the
 *            principal of a person who signs up. Nothing else.
 */
export const ROLES = {
  owner: 'restartix_owner',
  runtime: 'restartix_app',
  api: 'restartix_api',
  zero: 'restartix_zero',
  auth: 'restartix_auth',
} as const;

/** The one publication zero-cache replicates. Audit and secrets are never in it. */
export const SYNC_PUBLICATION = 'restartix_sync';
