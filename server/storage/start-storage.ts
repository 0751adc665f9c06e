import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { startEmbeddedS3 } from './embedded-s3/s3-server.ts';
import { createObjectStorage, type ObjectStorage } from './object-storage.ts';

export type Storage = {
  storage: ObjectStorage;
  /** The embedded S3-API server's address, when S3_ENDPOINT is unset. */
  embeddedEndpoint: string | null;
  stop: () => Promise<void>;
};

/**
 * Object storage for the stack: S3 at S3_ENDPOINT, or the embedded S3-API server on the loopback
 * (objects encrypted under DATA_DIR/s3). Without configured credentials the embedded server gets a
 * fresh key pair each start: presigned URLs live minutes, so none outlives a restart anyway.
 */
export async function startStorage(config: Config, dataDir: string, allowedOrigins: readonly string[], log: (line: string) => void = () => undefined): Promise<Storage> {
  const configured = config.S3_ACCESS_KEY_ID !== undefined && config.S3_SECRET_ACCESS_KEY !== undefined
    ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
    : undefined;
  const serverSideEncryption = config.S3_SSE === 'aws:kms'
    ? { kind: 'aws:kms' as const, kmsKeyId: config.S3_SSE_KMS_KEY_ID ?? null }
    : { kind: 'AES256' as const };
  if (config.S3_ENDPOINT !== undefined) {
    const storage = createObjectStorage({
      endpoint: config.S3_ENDPOINT, region: config.S3_REGION, bucket: config.S3_BUCKET, forcePathStyle: config.S3_FORCE_PATH_STYLE,
      credentials: configured, serverSideEncryption,
    });
    return { storage, embeddedEndpoint: null, stop: () => { storage.close(); return Promise.resolve(); } };
  }
  const credentials = configured ?? { accessKeyId: `RXDEV${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(32).toString('base64url') };
  const embedded = await startEmbeddedS3({
    root: join(dataDir, 's3'), port: config.EMBEDDED_S3_PORT, credentials, region: config.S3_REGION, allowedOrigins, log,
  });
  const storage = createObjectStorage({
    endpoint: embedded.endpoint, region: config.S3_REGION, bucket: config.S3_BUCKET, forcePathStyle: true, credentials, serverSideEncryption,
  });
  return {
    storage,
    embeddedEndpoint: embedded.endpoint,
    stop: async () => {
      storage.close();
      await embedded.stop();
    },
  };
}
