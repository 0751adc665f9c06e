import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../infra/free-port.ts';
import { freshDatabase, type TestDatabase } from '../../infra/test/database.ts';
import { seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import { startEmbeddedS3, type EmbeddedS3 } from '../storage/embedded-s3/s3-server.ts';
import { createObjectStorage, type ObjectStorage } from '../storage/object-storage.ts';
import { newStorageKey } from './file-view.ts';
import { purgeDeletedFiles } from './purge-deleted-files.ts';

/**
 * purgeDeletedFiles, called directly as the jobs engineer's schedule will: what is past the window
 * goes, object and row, audited; what is not stays; a storage failure loses nothing.
 */

const REGION = 'eu-central-1';
const BUCKET = 'restartix-files';
const RETENTION_DAYS = 30;
const credentials = { accessKeyId: 'RXPURGETEST01', secretAccessKey: randomBytes(32).toString('base64url') };
const root = mkdtempSync(join(resolve(import.meta.dirname, '..', '..', '.data'), 'purge-test-'));
const fx = {} as Fixture;
let db: TestDatabase;
let s3: EmbeddedS3;
let storage: ObjectStorage;
let direct: S3Client;

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  await seedTwoClinics(db.admin, fx);
  s3 = await startEmbeddedS3({ root, port: 0, credentials, region: REGION, allowedOrigins: [] });
  storage = createObjectStorage({ endpoint: s3.endpoint, region: REGION, bucket: BUCKET, forcePathStyle: true, credentials, serverSideEncryption: { kind: 'AES256' } });
  direct = new S3Client({ endpoint: s3.endpoint, region: REGION, forcePathStyle: true, credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
});
afterAll(async () => {
  direct.destroy();
  storage.close();
  await s3.stop();
  await db.close();
  rmSync(root, { recursive: true, force: true });
});
// Each test starts from no files at all (the superuser is not held by the runtime role's rules).
beforeEach(async () => { await db.admin`delete from files`; });

type Stored = { id: string; key: string };

/**
 * A file with its object in storage, as the API leaves it; `deletedDaysAgo` and `createdHoursAgo`
 * move it back in time (the guard trigger stamps the clock, so it is set aside for the fixture).
 */
async function storedFile(organizationId: string, by: string, state: { status?: 'pending' | 'uploaded'; deletedDaysAgo?: number; createdHoursAgo?: number } = {}): Promise<Stored> {
  const id = randomUUID();
  const key = newStorageKey();
  await direct.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `content of ${id}`, ContentType: 'text/plain' }));
  const status = state.status ?? 'uploaded';
  await db.admin.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`insert into files (id, organization_id, storage_key, name, content_type, size_bytes, sha256, status, uploaded_at, created_by, updated_by, created_at, deleted_at, deleted_by)
      values (${id}, ${organizationId}, ${key}, 'scan.txt', 'text/plain', 10, ${randomBytes(32)}, ${status},
              ${status === 'uploaded' ? tx`now()` : null}, ${by}, ${by}, now() - make_interval(hours => ${state.createdHoursAgo ?? 0}),
              ${state.deletedDaysAgo === undefined ? null : tx`now() - make_interval(days => ${state.deletedDaysAgo})`},
              ${state.deletedDaysAgo === undefined ? null : by})`;
  });
  return { id, key };
}

const rowExists = async (id: string) => (await db.admin`select 1 from files where id = ${id}`).length === 1;
const objectExists = async (file: Stored) => (await storage.head(file.key)) !== null;
const purgeAudits = async () => db.admin<{ entity_id: string; actor_principal_id: string; organization_id: string; changes: { reason: string } }[]>`
  select entity_id, actor_principal_id, organization_id, changes from audit_log where action = 'file.purged' order by id`;

describe('purgeDeletedFiles', () => {
  it('removes, object first and row second, exactly the files deleted longer ago than the window, audited', async () => {
    const live = await storedFile(fx.alpha, fx.people.adminAlpha);
    const yesterday = await storedFile(fx.alpha, fx.people.adminAlpha, { deletedDaysAgo: 1 });
    const stillRestorable = await storedFile(fx.alpha, fx.people.specialistAlpha, { deletedDaysAgo: RETENTION_DAYS - 1 });
    const expired = await storedFile(fx.alpha, fx.people.specialistAlpha, { deletedDaysAgo: RETENTION_DAYS + 1 });
    const longExpired = await storedFile(fx.beta, fx.people.adminBeta, { deletedDaysAgo: RETENTION_DAYS + 15 });
    const auditsBefore = (await purgeAudits()).length;

    const { purged } = await purgeDeletedFiles({ sql: db.api, storage, retentionDays: RETENTION_DAYS }, { requestId: 'job-purge-1' });

    expect(purged).toEqual([
      { id: longExpired.id, organizationId: fx.beta, reason: 'retention_elapsed' },
      { id: expired.id, organizationId: fx.alpha, reason: 'retention_elapsed' },
    ]);
    for (const gone of [expired, longExpired]) {
      expect(await rowExists(gone.id)).toBe(false);
      expect(await objectExists(gone)).toBe(false);
      expect(existsSync(s3.store.pathOf(BUCKET, gone.key))).toBe(false);
    }
    for (const kept of [live, yesterday, stillRestorable]) {
      expect(await rowExists(kept.id)).toBe(true);
      expect(await objectExists(kept)).toBe(true);
    }
    expect((await purgeAudits()).slice(auditsBefore)).toEqual([
      { entity_id: longExpired.id, actor_principal_id: fx.people.adminBeta, organization_id: fx.beta, changes: expect.objectContaining({ reason: 'retention_elapsed' }) as unknown },
      { entity_id: expired.id, actor_principal_id: fx.people.specialistAlpha, organization_id: fx.alpha, changes: expect.objectContaining({ reason: 'retention_elapsed' }) as unknown },
    ]);
    expect((await db.admin<{ request_id: string }[]>`select request_id from audit_log where action = 'file.purged' and entity_id = ${expired.id}`)[0]?.request_id).toBe('job-purge-1');

    // Nothing else is due: a second run changes nothing.
    expect((await purgeDeletedFiles({ sql: db.api, storage, retentionDays: RETENTION_DAYS })).purged).toEqual([]);
  });

  it('removes uploads never confirmed within a day, and leaves younger ones to finish', async () => {
    const abandoned = await storedFile(fx.alpha, fx.people.adminAlpha, { status: 'pending', createdHoursAgo: 48 });
    const inProgress = await storedFile(fx.alpha, fx.people.adminAlpha, { status: 'pending', createdHoursAgo: 1 });
    const { purged } = await purgeDeletedFiles({ sql: db.api, storage, retentionDays: RETENTION_DAYS });
    expect(purged).toEqual([{ id: abandoned.id, organizationId: fx.alpha, reason: 'abandoned_upload' }]);
    expect(await objectExists(abandoned)).toBe(false);
    expect(await rowExists(inProgress.id)).toBe(true);
  });

  it('keeps the row when its object cannot be deleted, and purges it on the next run', async () => {
    const expired = await storedFile(fx.alpha, fx.people.adminAlpha, { deletedDaysAgo: RETENTION_DAYS + 2 });
    // Storage that cannot be reached: nothing listens on this port.
    const unreachable = createObjectStorage({ endpoint: `http://127.0.0.1:${String(await freePort())}`, region: REGION, bucket: BUCKET, forcePathStyle: true, credentials, serverSideEncryption: { kind: 'AES256' } });
    await expect(purgeDeletedFiles({ sql: db.api, storage: unreachable, retentionDays: RETENTION_DAYS })).rejects.toThrow();
    unreachable.close();
    expect(await rowExists(expired.id)).toBe(true);
    expect(await objectExists(expired)).toBe(true);
    expect((await purgeAudits()).map((entry) => entry.entity_id)).not.toContain(expired.id);

    expect((await purgeDeletedFiles({ sql: db.api, storage, retentionDays: RETENTION_DAYS })).purged.map((file) => file.id)).toEqual([expired.id]);
    expect(await objectExists(expired)).toBe(false);
  });

  it('hands each file to one of several concurrent runs', async () => {
    const due = await Promise.all(Array.from({ length: 6 }, () => storedFile(fx.alpha, fx.people.adminAlpha, { deletedDaysAgo: RETENTION_DAYS + 3 })));
    const auditsBefore = (await purgeAudits()).length;
    const runs = await Promise.all([1, 2, 3].map(() => purgeDeletedFiles({ sql: db.api, storage, retentionDays: RETENTION_DAYS })));
    const ids = runs.flatMap((run) => run.purged.map((file) => file.id));
    expect([...ids].sort()).toEqual(due.map((file) => file.id).sort());
    expect((await purgeAudits()).length - auditsBefore).toBe(due.length);
  });

  it('never purges within a day of deletion, whatever window it is given', async () => {
    const recent = await storedFile(fx.alpha, fx.people.adminAlpha, { deletedDaysAgo: 0 });
    await expect(purgeDeletedFiles({ sql: db.api, storage, retentionDays: 0 })).rejects.toMatchObject({ code: '23514' });
    expect(await rowExists(recent.id)).toBe(true);
    expect(await objectExists(recent)).toBe(true);
  });
});
