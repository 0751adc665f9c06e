import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startKoaHarness, type KoaHarness } from '../../infra/test/koa-harness.ts';
import { addMembership, createCustomRole, createHuman } from '../../seeds/factories.ts';
import { mintApiKey } from '../api-keys/key-format.ts';
import { call, seedTwoClinics, type Fixture, type Reply } from '../api-v1/test-fixture.ts';
import { startEmbeddedS3, type EmbeddedS3 } from '../storage/embedded-s3/s3-server.ts';
import { createObjectStorage, type ObjectStorage, type PresignedUpload } from '../storage/object-storage.ts';
import type { FilePolicy } from './file-policy.ts';
import type { FileView } from './file-view.ts';
import { fileRoutes } from './router.ts';
import type { DeletedFileView } from './soft-delete.ts';

/**
 * /api/v1/files over real HTTP, on a real database and the real embedded S3 server, from the
 * attacker's side: another clinic's people, members without the permission, API keys, and anyone
 * holding a URL, a storage key or a body that is not what was declared.
 */

const REGION = 'eu-central-1';
const BUCKET = 'restartix-files';
const credentials = { accessKeyId: 'RXFILESTEST01', secretAccessKey: randomBytes(32).toString('base64url') };
const POLICY: FilePolicy = {
  maxBytes: 64 * 1024,
  allowedTypes: ['application/pdf', 'image/png', 'text/plain'],
  uploadUrlTtlSeconds: 300,
  downloadUrlTtlSeconds: 60,
  retentionDays: 30,
};
const root = mkdtempSync(join(resolve(import.meta.dirname, '..', '..', '.data'), 'files-test-'));
const fx = {} as Fixture;
const extra = {} as Record<'reader' | 'uploaderOnly', string>;
let s3: EmbeddedS3;
let storage: ObjectStorage;
let harness: KoaHarness;
const tokens = {} as Record<'ownerAlpha' | 'adminAlpha' | 'staffAlpha' | 'specialistAlpha' | 'billingAlpha' | 'adminBeta' | 'root' | 'reader' | 'uploaderOnly', string>;

async function seed(sql: Sql): Promise<void> {
  await seedTwoClinics(sql, fx);
  const readOnly = await createCustomRole(sql, fx.alpha, { name: 'Archive reader', permissions: ['files.read'], createdBy: fx.people.ownerAlpha });
  const uploadOnly = await createCustomRole(sql, fx.alpha, { name: 'Scanner', permissions: ['files.manage'], createdBy: fx.people.ownerAlpha });
  extra.reader = await createHuman(sql, { email: 'reader@alpha.test', name: 'Reader' });
  extra.uploaderOnly = await createHuman(sql, { email: 'scanner@alpha.test', name: 'Scanner' });
  await addMembership(sql, fx.alpha, extra.reader, 'custom', readOnly);
  await addMembership(sql, fx.alpha, extra.uploaderOnly, 'custom', uploadOnly);
}

beforeAll(async () => {
  s3 = await startEmbeddedS3({ root, port: 0, credentials, region: REGION, allowedOrigins: [] });
  storage = createObjectStorage({ endpoint: s3.endpoint, region: REGION, bucket: BUCKET, forcePathStyle: true, credentials, serverSideEncryption: { kind: 'AES256' } });
  harness = await startKoaHarness(inject('pgSuperuserUrl'), seed, ({ sql, authenticate }) => [fileRoutes({ sql, authenticate, storage, policy: POLICY })]);
  for (const name of ['ownerAlpha', 'adminAlpha', 'staffAlpha', 'specialistAlpha', 'billingAlpha'] as const) tokens[name] = harness.tokenFor(fx.people[name], fx.alpha);
  tokens.adminBeta = harness.tokenFor(fx.people.adminBeta, fx.beta);
  tokens.root = harness.tokenFor(fx.people.root, null);
  tokens.reader = harness.tokenFor(extra.reader, fx.alpha);
  tokens.uploaderOnly = harness.tokenFor(extra.uploaderOnly, fx.alpha);
});
afterAll(async () => {
  await harness.stop();
  storage.close();
  await s3.stop();
  rmSync(root, { recursive: true, force: true });
});

const sha256Hex = (body: Buffer) => createHash('sha256').update(body).digest('hex');
const errorOf = (reply: Reply) => ({ status: reply.status, code: reply.body.error?.code });
const s3ErrorCode = async (response: Response) => /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];

const declare = (token: string, body: Buffer, overrides: Record<string, unknown> = {}) =>
  call(harness, 'POST', '/api/v1/files', token, { name: 'Scrisoare medicală.pdf', contentType: 'application/pdf', sizeBytes: body.length, sha256: sha256Hex(body), ...overrides });
const confirm = (token: string, id: string) => call(harness, 'POST', `/api/v1/files/${id}/confirm`, token);
const download = (token: string, id: string) => call(harness, 'POST', `/api/v1/files/${id}/download`, token);
const list = (token: string) => call(harness, 'GET', '/api/v1/files', token);
const trash = (token: string) => call(harness, 'GET', '/api/v1/files/deleted', token);
const remove = (token: string, id: string) => call(harness, 'DELETE', `/api/v1/files/${id}`, token);
const restore = (token: string, id: string) => call(harness, 'POST', `/api/v1/files/${id}/restore`, token);
const putTo = (upload: PresignedUpload, body: Buffer, headers: Record<string, string> = upload.headers) => fetch(upload.url, { method: 'PUT', body: new Uint8Array(body), headers });

async function declared(token: string, body: Buffer, overrides: Record<string, unknown> = {}): Promise<{ file: FileView; upload: PresignedUpload }> {
  const reply = await declare(token, body, overrides);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body as { file: FileView; upload: PresignedUpload };
}

/** A file declared, put and confirmed by `token`: what a clinic's app does for one upload. */
async function uploaded(token: string, body: Buffer, overrides: Record<string, unknown> = {}): Promise<FileView> {
  const { file, upload } = await declared(token, body, overrides);
  expect((await putTo(upload, body)).status).toBe(200);
  const reply = await confirm(token, file.id);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.file as FileView;
}

const storageKeyOf = async (id: string) => (await harness.db.admin<{ storage_key: string }[]>`select storage_key from files where id = ${id}`)[0]?.storage_key ?? '';
const auditActions = async (id: string) => (await harness.db.admin<{ action: string; actor_principal_id: string; organization_id: string }[]>`
  select action, actor_principal_id, organization_id from audit_log where entity_type = 'file' and entity_id = ${id} order by id`);
const fileCount = async () => (await harness.db.admin<{ n: number }[]>`select count(*)::int as n from files`)[0]?.n;

describe('upload and download', () => {
  it('round-trips a file: declare, PUT to storage, confirm, download by a short-lived URL, each step audited', async () => {
    const body = Buffer.from('%PDF-1.7 Ionescu Maria — bilet de trimitere');
    const { file, upload } = await declared(tokens.specialistAlpha, body);
    expect(file).toMatchObject({ organizationId: fx.alpha, name: 'Scrisoare medicală.pdf', contentType: 'application/pdf', sizeBytes: body.length, sha256: sha256Hex(body), status: 'pending', createdBy: fx.people.specialistAlpha, uploadedAt: null, deletedAt: null });
    expect(Object.keys(file)).not.toContain('storageKey');
    expect(upload.method).toBe('PUT');
    expect(new URL(upload.url).searchParams.get('X-Amz-Expires')).toBe(String(POLICY.uploadUrlTtlSeconds));

    expect((await putTo(upload, body)).status).toBe(200);
    const confirmed = await confirm(tokens.specialistAlpha, file.id);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.file).toMatchObject({ id: file.id, status: 'uploaded' });
    expect((confirmed.body.file as FileView).uploadedAt).not.toBeNull();

    const listed = await list(tokens.adminAlpha);
    expect((listed.body.files as FileView[]).map((entry) => entry.id)).toContain(file.id);

    const reply = await download(tokens.adminAlpha, file.id);
    expect(reply.status).toBe(200);
    const { url, expiresAt } = reply.body.download as { url: string; expiresAt: string };
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe(String(POLICY.downloadUrlTtlSeconds));
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(body);
    expect(fetched.headers.get('content-type')).toBe('application/pdf');
    expect(fetched.headers.get('content-disposition')).toBe(`attachment; filename="Scrisoare medical_.pdf"; filename*=UTF-8''${encodeURIComponent('Scrisoare medicală.pdf')}`);

    expect(await auditActions(file.id)).toEqual([
      { action: 'file.upload_requested', actor_principal_id: fx.people.specialistAlpha, organization_id: fx.alpha },
      { action: 'file.uploaded', actor_principal_id: fx.people.specialistAlpha, organization_id: fx.alpha },
      { action: 'file.downloaded', actor_principal_id: fx.people.adminAlpha, organization_id: fx.alpha },
    ]);
  });

  it('audits every download URL it hands out', async () => {
    const file = await uploaded(tokens.adminAlpha, Buffer.from('downloaded twice'), { name: 'twice.txt', contentType: 'text/plain' });
    await download(tokens.adminAlpha, file.id);
    await download(tokens.reader, file.id);
    const downloads = (await auditActions(file.id)).filter((entry) => entry.action === 'file.downloaded');
    expect(downloads.map((entry) => entry.actor_principal_id)).toEqual([fx.people.adminAlpha, extra.reader]);
  });

  it('refuses to confirm or download before the PUT, and confirms only once', async () => {
    const body = Buffer.from('not yet');
    const { file, upload } = await declared(tokens.adminAlpha, body, { contentType: 'text/plain' });
    expect(errorOf(await confirm(tokens.adminAlpha, file.id))).toEqual({ status: 409, code: 'FILE_NOT_UPLOADED' });
    expect(errorOf(await download(tokens.adminAlpha, file.id))).toEqual({ status: 409, code: 'FILE_NOT_UPLOADED' });
    await putTo(upload, body);
    expect((await confirm(tokens.adminAlpha, file.id)).status).toBe(200);
    expect((await confirm(tokens.adminAlpha, file.id)).status).toBe(200);
    expect((await auditActions(file.id)).filter((entry) => entry.action === 'file.uploaded')).toHaveLength(1);
  });

  it('gives every file an opaque random storage key, never derived from its name or clinic', async () => {
    const body = Buffer.from('same name, same bytes');
    const first = await declared(tokens.adminAlpha, body, { name: 'Ionescu.txt', contentType: 'text/plain' });
    const second = await declared(tokens.adminAlpha, body, { name: 'Ionescu.txt', contentType: 'text/plain' });
    const keys = [await storageKeyOf(first.file.id), await storageKeyOf(second.file.id)];
    for (const key of keys) {
      expect(key).toMatch(/^files\/[A-Za-z0-9_-]{43}$/);
      expect(key).not.toContain('Ionescu');
      expect(key).not.toContain(fx.alpha);
    }
    expect(keys[0]).not.toBe(keys[1]);
  });
});

describe('limits, before any URL is issued', () => {
  it('refuses a file over the size limit: no URL, no row, no audit', async () => {
    const before = await fileCount();
    const reply = await declare(tokens.adminAlpha, Buffer.alloc(1), { sizeBytes: POLICY.maxBytes + 1 });
    expect(errorOf(reply)).toEqual({ status: 413, code: 'FILE_TOO_LARGE' });
    expect(reply.body.upload).toBeUndefined();
    expect(JSON.stringify(reply.body)).not.toContain('X-Amz-Signature');
    expect(await fileCount()).toBe(before);
  });

  it('refuses a type outside the allow-list, active content above all', async () => {
    const before = await fileCount();
    for (const contentType of ['text/html', 'image/svg+xml', 'application/javascript', 'application/x-msdownload', 'application/octet-stream']) {
      const reply = await declare(tokens.adminAlpha, Buffer.from('<script>alert(1)</script>'), { contentType });
      expect(errorOf(reply), contentType).toEqual({ status: 415, code: 'FILE_TYPE_NOT_ALLOWED' });
      expect(JSON.stringify(reply.body)).not.toContain('X-Amz-Signature');
    }
    expect(await fileCount()).toBe(before);
  });

  it('refuses a malformed declaration', async () => {
    const body = Buffer.from('x');
    for (const overrides of [{ sha256: 'abc' }, { name: '../../etc/passwd' }, { name: 'a\u0000b.pdf' }, { name: '' }, { sizeBytes: 0 }, { contentType: 'pdf' }]) {
      expect(errorOf(await declare(tokens.adminAlpha, body, overrides)), JSON.stringify(overrides)).toEqual({ status: 400, code: 'INVALID_INPUT' });
    }
  });
});

describe('the signed PUT binds what was declared', () => {
  it('refuses a body of another length, another type, or other bytes; the file stays pending until the right body comes', async () => {
    const body = Buffer.from('%PDF-1.7 the real referral');
    const { file, upload } = await declared(tokens.adminAlpha, body);
    const other = Buffer.from(body);
    other[5] = 0x39;
    const longer = await putTo(upload, Buffer.concat([body, Buffer.from(' and more')]));
    expect([longer.status, await s3ErrorCode(longer)]).toEqual([403, 'SignatureDoesNotMatch']);
    const shorter = await putTo(upload, body.subarray(1));
    expect([shorter.status, await s3ErrorCode(shorter)]).toEqual([403, 'SignatureDoesNotMatch']);
    const otherType = await putTo(upload, body, { ...upload.headers, 'content-type': 'text/html' });
    expect([otherType.status, await s3ErrorCode(otherType)]).toEqual([403, 'SignatureDoesNotMatch']);
    const otherBytes = await putTo(upload, other);
    expect([otherBytes.status, await s3ErrorCode(otherBytes)]).toEqual([400, 'BadDigest']);
    const withoutChecksum = await putTo(upload, body, { 'content-type': 'application/pdf', 'x-amz-server-side-encryption': 'AES256' });
    expect([withoutChecksum.status, await s3ErrorCode(withoutChecksum)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(errorOf(await confirm(tokens.adminAlpha, file.id))).toEqual({ status: 409, code: 'FILE_NOT_UPLOADED' });

    expect((await putTo(upload, body)).status).toBe(200);
    expect((await confirm(tokens.adminAlpha, file.id)).body.file).toMatchObject({ status: 'uploaded' });
  });

  it('refuses an upload URL pointed at another key, or given more time', async () => {
    const victim = await uploaded(tokens.adminAlpha, Buffer.from('the victim file'), { contentType: 'text/plain' });
    const victimKey = await storageKeyOf(victim.id);
    const body = Buffer.from('overwrite attempt');
    const { upload } = await declared(tokens.adminBeta, body, { contentType: 'text/plain' });
    const retargeted = new URL(upload.url);
    retargeted.pathname = `/${BUCKET}/${victimKey}`;
    const overwrite = await fetch(retargeted, { method: 'PUT', body, headers: upload.headers });
    expect([overwrite.status, await s3ErrorCode(overwrite)]).toEqual([403, 'SignatureDoesNotMatch']);
    const prolonged = new URL(upload.url);
    prolonged.searchParams.set('X-Amz-Expires', '604800');
    const late = await fetch(prolonged, { method: 'PUT', body, headers: upload.headers });
    expect([late.status, await s3ErrorCode(late)]).toEqual([403, 'SignatureDoesNotMatch']);
    const victimUrl = ((await download(tokens.adminAlpha, victim.id)).body.download as { url: string }).url;
    expect(await (await fetch(victimUrl)).text()).toBe('the victim file');
  });

  it('removes an object that is not the declared file instead of confirming it', async () => {
    const body = Buffer.from('declared content');
    const { file } = await declared(tokens.adminAlpha, body, { contentType: 'text/plain' });
    const key = await storageKeyOf(file.id);
    // As a store that does not check checksums would let through: other bytes under the key.
    const direct = new S3Client({ endpoint: s3.endpoint, region: REGION, forcePathStyle: true, credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
    await direct.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'swapped content!', ContentType: 'text/plain' }));
    direct.destroy();
    expect(errorOf(await confirm(tokens.adminAlpha, file.id))).toEqual({ status: 409, code: 'FILE_UPLOAD_MISMATCH' });
    expect(await storage.head(key)).toBeNull();
    expect((await harness.db.admin<{ status: string }[]>`select status from files where id = ${file.id}`)[0]?.status).toBe('pending');
  });
});

describe('another clinic\'s file', () => {
  let alphaFile: FileView;
  let alphaKey: string;
  const secret = 'Popescu Ion: diagnostic confidențial';

  beforeAll(async () => {
    alphaFile = await uploaded(tokens.adminAlpha, Buffer.from(secret), { name: 'diagnostic.txt', contentType: 'text/plain' });
    alphaKey = await storageKeyOf(alphaFile.id);
  });

  it('is not found by id through any route, for the other clinic\'s admin', async () => {
    expect(errorOf(await call(harness, 'GET', `/api/v1/files/${alphaFile.id}`, tokens.adminBeta))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await download(tokens.adminBeta, alphaFile.id))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await confirm(tokens.adminBeta, alphaFile.id))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await remove(tokens.adminBeta, alphaFile.id))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await restore(tokens.adminBeta, alphaFile.id))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect((await list(tokens.adminBeta)).body.files as FileView[]).not.toContainEqual(expect.objectContaining({ id: alphaFile.id }));
    expect((await auditActions(alphaFile.id)).filter((entry) => entry.organization_id !== fx.alpha || entry.actor_principal_id === fx.people.adminBeta)).toEqual([]);
  });

  it('cannot be fetched with its storage key guessed: not through the API, not by forging a URL to storage', async () => {
    // The API names files by id only: a storage key, whole or in part, is not one.
    for (const guess of [alphaKey, alphaKey.slice('files/'.length), encodeURIComponent(alphaKey)]) {
      const reply = await call(harness, 'POST', `/api/v1/files/${guess}/download`, tokens.adminBeta);
      expect(['INVALID_INPUT', 'NOT_FOUND'], guess).toContain(reply.body.error?.code);
      expect(reply.body.download, guess).toBeUndefined();
    }
    // Unsigned.
    const unsigned = await fetch(`${s3.endpoint}/${BUCKET}/${alphaKey}`);
    expect([unsigned.status, await s3ErrorCode(unsigned)]).toEqual([403, 'AccessDenied']);
    // Beta's own signed URL, pointed at Alpha's key.
    const own = await uploaded(tokens.adminBeta, Buffer.from('beta file'), { contentType: 'text/plain' });
    const ownUrl = new URL(((await download(tokens.adminBeta, own.id)).body.download as { url: string }).url);
    const forged = new URL(ownUrl);
    forged.pathname = `/${BUCKET}/${alphaKey}`;
    const response = await fetch(forged);
    expect([response.status, await s3ErrorCode(response)]).toEqual([403, 'SignatureDoesNotMatch']);
    // Signed with a key of the attacker's own making.
    const attacker = new S3Client({ endpoint: s3.endpoint, region: REGION, forcePathStyle: true, credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: randomBytes(32).toString('base64url') } });
    const selfSigned = await fetch(await getSignedUrl(attacker, new GetObjectCommand({ Bucket: BUCKET, Key: alphaKey }), { expiresIn: 60 }));
    attacker.destroy();
    expect([selfSigned.status, await s3ErrorCode(selfSigned)]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('refuses a download URL once it has expired, or after it was tampered with', async () => {
    const url = new URL(((await download(tokens.adminAlpha, alphaFile.id)).body.download as { url: string }).url);
    const prolonged = new URL(url);
    prolonged.searchParams.set('X-Amz-Expires', '604800');
    const tampered = await fetch(prolonged);
    expect([tampered.status, await s3ErrorCode(tampered)]).toEqual([403, 'SignatureDoesNotMatch']);
    // A URL signed as the server signs them, ten minutes ago, for a minute.
    const signer = new S3Client({ endpoint: s3.endpoint, region: REGION, forcePathStyle: true, credentials });
    const expired = await getSignedUrl(signer, new GetObjectCommand({ Bucket: BUCKET, Key: alphaKey }), { expiresIn: 60, signingDate: new Date(Date.now() - 10 * 60_000) });
    signer.destroy();
    const late = await fetch(expired);
    expect(late.status).toBe(403);
    const text = await late.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('Request has expired');
    expect(text).not.toContain(secret);
  });

  it('is stored encrypted: its plaintext appears nowhere on the storage\'s disk', () => {
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]);
    })(root);
    expect(files.length).toBeGreaterThan(0);
    for (const path of files) expect(readFileSync(path).includes(Buffer.from('Popescu Ion'))).toBe(false);
    expect(readFileSync(s3.store.pathOf(BUCKET, alphaKey)).includes(Buffer.from(secret))).toBe(false);
  });
});

describe('who may do what', () => {
  it('keeps files from members without a files permission, platform operators outside a clinic and API keys', async () => {
    const file = await uploaded(tokens.adminAlpha, Buffer.from('for the team'), { contentType: 'text/plain' });
    const apiKey = mintApiKey('test').key;
    for (const token of [tokens.staffAlpha, tokens.billingAlpha, tokens.root, apiKey]) {
      expect(errorOf(await list(token)).code).toBe('FORBIDDEN');
      expect(errorOf(await download(token, file.id)).code).toBe('FORBIDDEN');
      expect(errorOf(await declare(token, Buffer.from('x'))).code).toBe('FORBIDDEN');
      expect(errorOf(await remove(token, file.id)).code).toBe('FORBIDDEN');
    }
  });

  it('lets files.read download but not upload or delete, and files.manage upload but not download', async () => {
    const file = await uploaded(tokens.uploaderOnly, Buffer.from('scanned consent'), { contentType: 'text/plain' });
    expect(errorOf(await download(tokens.uploaderOnly, file.id))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await download(tokens.reader, file.id)).status).toBe(200);
    expect(errorOf(await declare(tokens.reader, Buffer.from('x'))).code).toBe('FORBIDDEN');
    expect(errorOf(await remove(tokens.reader, file.id)).code).toBe('FORBIDDEN');
  });
});

describe('soft delete', () => {
  it('hides a deleted file from every normal read, lists it in the trash, and restores it, audited', async () => {
    const body = Buffer.from('fișă de evaluare');
    const file = await uploaded(tokens.adminAlpha, body, { name: 'evaluare.txt', contentType: 'text/plain' });
    expect((await remove(tokens.specialistAlpha, file.id)).status).toBe(204);

    expect((await list(tokens.adminAlpha)).body.files as FileView[]).not.toContainEqual(expect.objectContaining({ id: file.id }));
    expect(errorOf(await call(harness, 'GET', `/api/v1/files/${file.id}`, tokens.adminAlpha))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await download(tokens.adminAlpha, file.id))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await remove(tokens.adminAlpha, file.id))).toEqual({ status: 404, code: 'NOT_FOUND' });

    const deleted = ((await trash(tokens.adminAlpha)).body.files as DeletedFileView[]).find((entry) => entry.id === file.id);
    expect(deleted).toMatchObject({ id: file.id, deletedBy: fx.people.specialistAlpha });
    const window = new Date(deleted?.restorableUntil ?? 0).getTime() - new Date(deleted?.deletedAt ?? 0).getTime();
    expect(window).toBe(POLICY.retentionDays * 24 * 3600 * 1000);
    expect(errorOf(await trash(tokens.reader))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(((await trash(tokens.adminBeta)).body.files as DeletedFileView[]).map((entry) => entry.id)).not.toContain(file.id);

    const restored = await restore(tokens.adminAlpha, file.id);
    expect(restored.status).toBe(200);
    expect(restored.body.file).toMatchObject({ id: file.id, status: 'uploaded', deletedAt: null, deletedBy: null });
    const url = ((await download(tokens.adminAlpha, file.id)).body.download as { url: string }).url;
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(body);
    expect((await auditActions(file.id)).map((entry) => entry.action)).toEqual(['file.upload_requested', 'file.uploaded', 'file.deleted', 'file.restored', 'file.downloaded']);
  });

  it('refuses to restore once the retention window has passed', async () => {
    const file = await uploaded(tokens.adminAlpha, Buffer.from('old letter'), { contentType: 'text/plain' });
    expect((await remove(tokens.adminAlpha, file.id)).status).toBe(204);
    // Thirty-one days later (the guard trigger stamps deletions with the clock, so it is set aside).
    await harness.db.admin.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`update files set deleted_at = now() - interval '31 days' where id = ${file.id}`;
    });
    expect(errorOf(await restore(tokens.adminAlpha, file.id))).toEqual({ status: 410, code: 'FILE_RETENTION_EXPIRED' });
    expect(((await trash(tokens.adminAlpha)).body.files as DeletedFileView[]).map((entry) => entry.id)).not.toContain(file.id);
    expect((await auditActions(file.id)).map((entry) => entry.action)).not.toContain('file.restored');
  });
});
