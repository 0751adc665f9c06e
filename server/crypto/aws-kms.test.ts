import { randomBytes, randomUUID } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, InvalidCiphertextException, KMSClient, KMSServiceException } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createKmsKeyProvider, KMS_PURPOSE } from './aws-kms.ts';
import { KeyProviderError } from './key-provider.ts';

/**
 * KMS cannot run here: a stubbed client (aws-sdk-client-mock) stands in for it, and what is checked
 * is what we send it and what we make of its answers and refusals.
 */
const KEY_ARN = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const client = new KMSClient({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' } });
const kms = mockClient(client);
const provider = createKmsKeyProvider({ client, keyId: 'alias/restartix-data-keys' });
const org = randomUUID();

beforeEach(() => { kms.reset(); });

describe('the AWS KMS key provider', () => {
  it('asks GenerateDataKey for an AES-256 key bound to the organisation, and keeps the key ARN KMS answers with', async () => {
    const plaintext = randomBytes(32);
    const blob = randomBytes(184);
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: plaintext, CiphertextBlob: blob, KeyId: KEY_ARN });
    const dataKey = await provider.generateDataKey(org);
    expect(dataKey).toEqual({ plaintext, wrapped: blob, keyId: KEY_ARN });
    expect(kms.calls()).toHaveLength(1);
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]?.args[0].input).toEqual({
      KeyId: 'alias/restartix-data-keys',
      KeySpec: 'AES_256',
      EncryptionContext: { purpose: KMS_PURPOSE, organization_id: org },
    });
  });

  it('unwraps with Decrypt, naming the key it was wrapped under and the same organisation', async () => {
    const plaintext = randomBytes(32);
    const blob = randomBytes(184);
    kms.on(DecryptCommand).resolves({ Plaintext: plaintext, KeyId: KEY_ARN });
    expect(await provider.unwrap({ wrapped: blob, keyId: KEY_ARN }, org)).toEqual(plaintext);
    expect(kms.calls()).toHaveLength(1);
    expect(kms.commandCalls(DecryptCommand)[0]?.args[0].input).toEqual({
      CiphertextBlob: blob,
      KeyId: KEY_ARN,
      EncryptionContext: { purpose: KMS_PURPOSE, organization_id: org },
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
  });

  it('reports a refusal by KMS with its reason and the organisation, never as a key', async () => {
    // What KMS answers when the encryption context differs (a wrap copied to another organisation).
    kms.on(DecryptCommand).rejects(new InvalidCiphertextException({ message: 'The ciphertext is invalid', $metadata: {} }));
    const other = randomUUID();
    const refusal = provider.unwrap({ wrapped: randomBytes(184), keyId: KEY_ARN }, other);
    await expect(refusal).rejects.toThrow(KeyProviderError);
    await expect(refusal).rejects.toThrow(`KMS refused to unwrap the data key of organisation ${other} under ${KEY_ARN}: InvalidCiphertextException: The ciphertext is invalid`);

    // IAM's refusal is not one of KMS's modelled errors: the SDK raises its base class with the name.
    kms.on(GenerateDataKeyCommand).rejects(new KMSServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'not authorized to perform kms:GenerateDataKey', $metadata: {} }));
    await expect(provider.generateDataKey(org)).rejects.toThrow(/KMS refused to generate a data key for organisation .* AccessDeniedException: not authorized/);
  });

  it('refuses an answer without a 32-byte key', async () => {
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: randomBytes(16), CiphertextBlob: randomBytes(184), KeyId: KEY_ARN });
    await expect(provider.generateDataKey(org)).rejects.toThrow(/without a 32-byte key/);
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: randomBytes(32), KeyId: KEY_ARN });
    await expect(provider.generateDataKey(org)).rejects.toThrow(KeyProviderError);
    kms.on(DecryptCommand).resolves({ KeyId: KEY_ARN });
    await expect(provider.unwrap({ wrapped: randomBytes(184), keyId: KEY_ARN }, org)).rejects.toThrow(/other than 32 bytes/);
  });
});
