/**
 * The four database roles. Names are fixed; passwords come from configuration.
 * - owner:   owns every table, runs migrations. Never used by a request.
 * - runtime: what every request runs as (`SET LOCAL ROLE`); NOBYPASSRLS, owns nothing.
 * - api:     the server's login; NOINHERIT, so it can do nothing until it takes the runtime role,
 *            apart from the sync engine's bookkeeping tables (mutation ids).
 * - zero:    zero-cache's replication login; reads every synced row (BYPASSRLS), so its disks are
 *            health-data stores.
 */
export const ROLES = {
  owner: 'restartix_owner',
  runtime: 'restartix_app',
  api: 'restartix_api',
  zero: 'restartix_zero',
} as const;

/** Zero's app id; zero-cache keeps its per-shard bookkeeping in the schema `<appId>_0`. */
export const ZERO_APP_ID = 'restartix';
export const ZERO_SHARD_SCHEMA = `${ZERO_APP_ID}_0`;

/** The one publication zero-cache replicates. Audit and secrets are never in it. */
export const SYNC_PUBLICATION = 'restartix_sync';
