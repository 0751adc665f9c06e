import { DomainError } from '../../sync-rules/errors.ts';
import type { Config } from '../config.ts';

/** What uploads may be and how long signed URLs and deleted files live (FILES_* settings). */
export type FilePolicy = {
  maxBytes: number;
  allowedTypes: readonly string[];
  uploadUrlTtlSeconds: number;
  downloadUrlTtlSeconds: number;
  retentionDays: number;
};

export function filePolicyFromConfig(config: Config): FilePolicy {
  return {
    maxBytes: config.FILES_MAX_BYTES,
    allowedTypes: config.FILES_ALLOWED_TYPES,
    uploadUrlTtlSeconds: config.FILES_UPLOAD_URL_TTL_SECONDS,
    downloadUrlTtlSeconds: config.FILES_DOWNLOAD_URL_TTL_SECONDS,
    retentionDays: config.FILES_RETENTION_DAYS,
  };
}

/** Refuses a declared upload outside the limits, before any row or URL exists. */
export function checkDeclaredUpload(policy: FilePolicy, declared: { contentType: string; sizeBytes: number }): void {
  if (!policy.allowedTypes.includes(declared.contentType)) {
    throw new DomainError('FILE_TYPE_NOT_ALLOWED', `files of type ${declared.contentType} are not accepted`, { allowedTypes: [...policy.allowedTypes] });
  }
  if (declared.sizeBytes > policy.maxBytes) {
    throw new DomainError('FILE_TOO_LARGE', `files are limited to ${String(policy.maxBytes)} bytes`, { maxBytes: policy.maxBytes });
  }
}
