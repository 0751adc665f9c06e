import { join, resolve } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import type { Config } from '../config.ts';
import { createKmsKeyProvider } from './aws-kms.ts';
import type { KeyProvider } from './key-provider.ts';
import { createLocalKeyringProvider } from './local-keyring.ts';

/** Where the local keyring lives: KEYRING_FILE, or keyring.json under the data directory. */
export function keyringPath(config: Pick<Config, 'KEYRING_FILE'>, dataDir: string): string {
  return config.KEYRING_FILE === undefined ? join(dataDir, 'keyring.json') : resolve(config.KEYRING_FILE);
}

/**
 * The key provider the configuration names (validated in server/config.ts). The local keyring is
 * created on first start and read at once, so a bad file stops boot before anything else starts.
 */
export function keyProviderFromConfig(config: Pick<Config, 'KEY_PROVIDER' | 'KEYRING_FILE' | 'KMS_KEY_ID' | 'KMS_REGION'>, dataDir: string): KeyProvider {
  if (config.KEY_PROVIDER === 'local-keyring') return createLocalKeyringProvider(keyringPath(config, dataDir));
  if (config.KMS_KEY_ID === undefined || config.KMS_REGION === undefined) throw new Error('KEY_PROVIDER=aws-kms needs KMS_KEY_ID and KMS_REGION');
  // Credentials come from the AWS default chain (instance or task role), never from our settings.
  return createKmsKeyProvider({ client: new KMSClient({ region: config.KMS_REGION }), keyId: config.KMS_KEY_ID });
}
