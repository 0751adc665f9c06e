import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** Server-side encryption asked of S3 on every upload: S3-managed keys, or a KMS key. */
export type ServerSideEncryption = { kind: 'AES256' } | { kind: 'aws:kms'; kmsKeyId: string | null };

export type ObjectStorageConfig = {
  /** Unset: Amazon S3's own endpoint for the region. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  forcePathStyle: boolean;
  /** Unset: the AWS SDK's default chain (instance role, environment, …). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  serverSideEncryption: ServerSideEncryption;
};

/** What an uploader sends: PUT to `url` with exactly these headers and a body of the declared bytes. */
export type PresignedUpload = { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
export type PresignedDownload = { url: string; expiresAt: string };

export type StoredObject = {
  size: number;
  contentType: string | null;
  /** Base64 SHA-256, as S3 keeps it for an upload that declared one. */
  sha256: string | null;
  /** How S3 says it encrypted the object ('AES256', 'aws:kms'); null if it did not. */
  serverSideEncryption: string | null;
};

export type ObjectStorage = {
  presignUpload(input: { key: string; contentType: string; size: number; sha256: string; expiresInSeconds: number }): Promise<PresignedUpload>;
  presignDownload(input: { key: string; fileName: string; contentType: string; expiresInSeconds: number }): Promise<PresignedDownload>;
  head(key: string): Promise<StoredObject | null>;
  /** Deleting what is not there succeeds. */
  delete(key: string): Promise<void>;
  /** What a confirmed upload must report as its encryption. */
  readonly expectedEncryption: string;
  close(): void;
};

/**
 * `attachment` with the name in ASCII and in UTF-8 (RFC 6266): a download is saved, never rendered
 * by the storage's origin.
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

const expiresAt = (seconds: number): string => new Date(Date.now() + seconds * 1000).toISOString();

/**
 * Object storage through the AWS SDK only: the same code reaches Amazon S3 or the embedded loopback
 * server, chosen by configuration (docs/adr/0016-files-and-object-storage.md).
 */
export function createObjectStorage(config: ObjectStorageConfig): ObjectStorage {
  const client = new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
    // Checksums are the ones we declare (SHA-256 of the upload), not a CRC the SDK would add to
    // every presigned URL.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const sse = config.serverSideEncryption;
  const sseInput = sse.kind === 'AES256'
    ? { ServerSideEncryption: 'AES256' as const }
    : { ServerSideEncryption: 'aws:kms' as const, ...(sse.kmsKeyId === null ? {} : { SSEKMSKeyId: sse.kmsKeyId }) };

  return {
    expectedEncryption: sse.kind,

    async presignUpload({ key, contentType, size, sha256, expiresInSeconds }) {
      const command = new PutObjectCommand({
        Bucket: config.bucket, Key: key, ContentType: contentType, ContentLength: size, ChecksumSHA256: sha256, ...sseInput,
      });
      // Security: length, type, checksum and encryption are signed headers, so S3 refuses a PUT
      // whose body or headers differ from what was declared and checked here.
      const url = await getSignedUrl(client, command, {
        expiresIn: expiresInSeconds,
        signableHeaders: new Set(['content-type', 'content-length']),
        unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
      });
      const headers: Record<string, string> = {
        'content-type': contentType,
        'x-amz-checksum-sha256': sha256,
        'x-amz-server-side-encryption': sseInput.ServerSideEncryption,
      };
      if ('SSEKMSKeyId' in sseInput) headers['x-amz-server-side-encryption-aws-kms-key-id'] = sseInput.SSEKMSKeyId;
      return { url, method: 'PUT', headers, expiresAt: expiresAt(expiresInSeconds) };
    },

    async presignDownload({ key, fileName, contentType, expiresInSeconds }) {
      const command = new GetObjectCommand({
        Bucket: config.bucket, Key: key, ResponseContentType: contentType, ResponseContentDisposition: attachmentDisposition(fileName),
      });
      return { url: await getSignedUrl(client, command, { expiresIn: expiresInSeconds }), expiresAt: expiresAt(expiresInSeconds) };
    },

    async head(key) {
      try {
        const found = await client.send(new HeadObjectCommand({ Bucket: config.bucket, Key: key, ChecksumMode: 'ENABLED' }));
        return {
          size: found.ContentLength ?? 0,
          contentType: found.ContentType ?? null,
          sha256: found.ChecksumSHA256 ?? null,
          serverSideEncryption: found.ServerSideEncryption ?? null,
        };
      } catch (error) {
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return null;
        throw error;
      }
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: key }));
    },

    close() {
      client.destroy();
    },
  };
}
