import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { createEncryption } from '../../server/crypto/encryption.ts';
import { createLocalKeyringProvider } from '../../server/crypto/local-keyring.ts';
import { createEventSecrets, type EventSecrets } from '../../server/events/event-secrets.ts';

/** What AUTH_TOKEN_SECRET is to the stack: the identity service's key, for events of no clinic. */
export const TEST_IDENTITY_SECRET = 'test-identity-secret-of-at-least-32-characters';

/**
 * The outbox's secrets as the stack builds them, on a test database: clinics' data keys from a local
 * keyring file (`keyringFile`, shared by every process that must open the same secrets).
 */
export function testEventSecrets(apiSql: Sql, keyringFile: string): EventSecrets {
  const encryption = createEncryption({ sql: apiSql, provider: createLocalKeyringProvider(keyringFile), cache: { ttlMs: 60_000, maxEntries: 100 } });
  return createEventSecrets({ encryption, identitySecret: TEST_IDENTITY_SECRET });
}

/** A keyring file in a directory of its own, removed by `remove`. */
export function temporaryKeyring(): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'restartix-keyring-'));
  return { file: join(dir, 'keyring.json'), remove: () => { rmSync(dir, { recursive: true, force: true }); } };
}
