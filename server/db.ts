import postgres, { type Sql } from 'postgres';
import { zeroPostgresJS } from '@rocicorp/zero/server/adapters/postgresjs';
import { schema } from '../sync-rules/schema.ts';

/** The server's pool, logged in as the api role; every query it runs first takes the runtime role. */
export function createApiPool(url: string, max = 10): Sql {
  return postgres(url, { max, onnotice: () => undefined, connection: { application_name: 'restartix-core-api' } });
}

export function createZeroDbProvider(sql: Sql) {
  return zeroPostgresJS(schema, sql);
}
export type ZeroDbProvider = ReturnType<typeof createZeroDbProvider>;

declare module '@rocicorp/zero' {
  interface DefaultTypes {
    dbProvider: ZeroDbProvider;
  }
}
