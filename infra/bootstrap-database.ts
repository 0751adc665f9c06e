import { ensureDatabase, ensureRoles, prepareZeroShard } from '../db/bootstrap.ts';
import type { Config } from '../server/config.ts';
import { ConfigError, loadConfig } from '../server/config.ts';

/**
 * The one-off step a database administrator runs before pointing RestartiX at an external
 * PostgreSQL: roles, database, zero-cache's shard schema. Needs DATABASE_ADMIN_URL (a superuser or
 * equivalent, on any database of the server). `npm start` does this itself for the embedded default.
 */
export async function bootstrapExternalDatabase(config: Config): Promise<void> {
  const admin = config.DATABASE_ADMIN_URL;
  if (admin === undefined) throw new ConfigError('Invalid configuration:\n  DATABASE_ADMIN_URL: is required to bootstrap a database');
  await ensureRoles(admin, { owner: config.DB_OWNER_PASSWORD, api: config.DB_API_PASSWORD, zero: config.DB_ZERO_PASSWORD, auth: config.DB_AUTH_PASSWORD });
  await ensureDatabase(admin, config.DB_NAME);
  await prepareZeroShard(admin, config.DB_NAME, config.ZERO_APP_ID);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await bootstrapExternalDatabase(loadConfig());
  console.log('Roles, database and zero-cache schema are ready.');
}
