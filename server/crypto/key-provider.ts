/**
 * Where data keys come from (docs/adr/0014-envelope-encryption.md). A provider makes a fresh 256-bit
 * data key for an organisation and hands back its plaintext and its wrapped form (encrypted under a
 * master key the provider never reveals), and later unwraps the wrapped form again. Only wrapped keys
 * are stored (organization_keys); every wrap is bound to its organisation, so a wrapped key copied to
 * another organisation's row does not unwrap.
 */

export const KEY_PROVIDERS = ['local-keyring', 'aws-kms'] as const;
export type KeyProviderName = (typeof KEY_PROVIDERS)[number];

export type DataKey = {
  /** 32 bytes. Kept in memory only; never stored, never logged. */
  plaintext: Buffer;
  wrapped: Buffer;
  /** The master key that wrapped it: a KMS key ARN, or `local-keyring:v<n>`. */
  keyId: string;
};

export type WrappedDataKey = { wrapped: Buffer; keyId: string };

export interface KeyProvider {
  readonly name: KeyProviderName;
  generateDataKey(organizationId: string): Promise<DataKey>;
  unwrap(key: WrappedDataKey, organizationId: string): Promise<Buffer>;
}

export const DATA_KEY_BYTES = 32;

/** The provider could not make or unwrap a key: refused, unreachable, or not the one that wrapped it. */
export class KeyProviderError extends Error {
  override name = 'KeyProviderError';
}
