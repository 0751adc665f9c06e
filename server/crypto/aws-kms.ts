import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DATA_KEY_BYTES, KeyProviderError, type DataKey, type KeyProvider, type WrappedDataKey } from './key-provider.ts';

/**
 * The production key provider: AWS KMS makes each data key (GenerateDataKey) and unwraps it
 * (Decrypt); the master key never leaves KMS. Every call carries an encryption context naming the
 * organisation, which KMS binds to the ciphertext and records in CloudTrail: a wrapped key copied to
 * another organisation's row is refused by KMS itself, and every unwrap is attributable.
 */

export const KMS_PURPOSE = 'restartix-organization-data-key';

export function kmsEncryptionContext(organizationId: string): Record<string, string> {
  return { purpose: KMS_PURPOSE, organization_id: organizationId };
}

/** KMS's own error name (AccessDeniedException, InvalidCiphertextException, …): what an operator needs. */
function reason(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function createKmsKeyProvider(options: { client: KMSClient; keyId: string }): KeyProvider {
  const { client, keyId } = options;
  return {
    name: 'aws-kms',
    async generateDataKey(organizationId: string): Promise<DataKey> {
      let answer;
      try {
        answer = await client.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: kmsEncryptionContext(organizationId) }));
      } catch (error) {
        throw new KeyProviderError(`KMS refused to generate a data key for organisation ${organizationId} under ${keyId}: ${reason(error)}`, { cause: error });
      }
      if (answer.Plaintext?.length !== DATA_KEY_BYTES || answer.CiphertextBlob === undefined || answer.KeyId === undefined) {
        throw new KeyProviderError(`KMS answered GenerateDataKey for organisation ${organizationId} without a 32-byte key, its ciphertext and key id`);
      }
      return { plaintext: Buffer.from(answer.Plaintext), wrapped: Buffer.from(answer.CiphertextBlob), keyId: answer.KeyId };
    },
    async unwrap({ wrapped, keyId: wrappedUnder }: WrappedDataKey, organizationId: string): Promise<Buffer> {
      let answer;
      try {
        // Naming the key makes KMS refuse a ciphertext of any other key, rather than decrypt it.
        answer = await client.send(new DecryptCommand({
          CiphertextBlob: wrapped,
          KeyId: wrappedUnder,
          EncryptionContext: kmsEncryptionContext(organizationId),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        }));
      } catch (error) {
        throw new KeyProviderError(`KMS refused to unwrap the data key of organisation ${organizationId} under ${wrappedUnder}: ${reason(error)}`, { cause: error });
      }
      if (answer.Plaintext?.length !== DATA_KEY_BYTES) {
        throw new KeyProviderError(`KMS unwrapped the data key of organisation ${organizationId} to something other than 32 bytes`);
      }
      return Buffer.from(answer.Plaintext);
    },
  };
}
