import { randomBytes } from 'node:crypto';
import type { TransactionSql } from 'postgres';

export type FileStatus = 'pending' | 'uploaded';

/** What the API says of a file. Never its storage key: only signed URLs lead to the object. */
export type FileView = {
  id: string;
  organizationId: string;
  name: string;
  contentType: string;
  sizeBytes: number;
  /** Hex SHA-256 the uploader declared, which storage confirmed. */
  sha256: string;
  status: FileStatus;
  createdBy: string;
  createdAt: string;
  uploadedAt: string | null;
  deletedAt: string | null;
  deletedBy: string | null;
};

export type FileRow = {
  id: string;
  organization_id: string;
  storage_key: string;
  name: string;
  content_type: string;
  size_bytes: string;
  sha256: Buffer;
  status: FileStatus;
  created_by: string;
  created_at: Date;
  uploaded_at: Date | null;
  deleted_at: Date | null;
  deleted_by: string | null;
};

export const fileView = (row: FileRow): FileView => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  contentType: row.content_type,
  sizeBytes: Number(row.size_bytes),
  sha256: row.sha256.toString('hex'),
  status: row.status,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  uploadedAt: row.uploaded_at?.toISOString() ?? null,
  deletedAt: row.deleted_at?.toISOString() ?? null,
  deletedBy: row.deleted_by,
});

export const selectFiles = (tx: TransactionSql) => tx`
  select id, organization_id, storage_key, name, content_type, size_bytes, sha256, status, created_by, created_at,
    uploaded_at, deleted_at, deleted_by
  from files`;

/**
 * Security: 32 random bytes, nothing else. Not the name, the clinic or the person: keys end up in
 * URLs and logs of the storage, where they must tell nobody anything.
 */
export const newStorageKey = (): string => `files/${randomBytes(32).toString('base64url')}`;

/** The transaction-local setting that lets deleted files be seen (db/migrations/0015_files.sql). */
export const DELETED_FILES_SETTING = 'app.files_deleted';
