import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startTestStack, type Session, type TestStack } from '../../infra/test/test-stack.ts';
import { addMembership, createHuman, createOrganization } from '../../seeds/factories.ts';
import type { PresignedUpload } from '../storage/object-storage.ts';
import type { FileView } from './file-view.ts';

/**
 * Files on the whole stack as `npm start` runs it: the embedded S3-API server started beside the
 * core API, reached by the same URLs a clinic's browser would follow, and stopped with it.
 */

let stack: TestStack;
let session: Session;
let stopped = false;

async function seed(sql: Sql): Promise<void> {
  const org = await createOrganization(sql, { slug: 'alpha', name: 'Alpha' });
  await addMembership(sql, org, await createHuman(sql, { email: 'specialist@alpha.test', name: 'Specialist' }), 'specialist');
}

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), seed);
  session = await stack.login('specialist@alpha.test');
});
afterAll(async () => { if (!stopped) await stack.stop(); });

const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${stack.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${session.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const listening = (port: number) => new Promise<boolean>((done) => {
  const socket = connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); done(true); });
  socket.once('error', () => { done(false); });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]);
}

it('uploads through a presigned PUT and downloads through a presigned GET, encrypted under DATA_DIR/s3', { timeout: 120_000 }, async () => {
  const endpoint = stack.embeddedS3Endpoint ?? '';
  expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  const body = Buffer.from('%PDF-1.7 Fișă de evaluare: Vasilescu Dana');
  const declared = await api('POST', '/api/v1/files', {
    name: 'evaluare.pdf', contentType: 'application/pdf', sizeBytes: body.length, sha256: createHash('sha256').update(body).digest('hex'),
  });
  expect(declared.status).toBe(201);
  const { file, upload } = declared.body as { file: FileView; upload: PresignedUpload };
  expect(upload.url.startsWith(`${endpoint}/${stack.config.S3_BUCKET}/files/`)).toBe(true);

  // The clinic's page uploads straight to storage: its origin passes the preflight.
  const preflight = await fetch(upload.url, {
    method: 'OPTIONS',
    headers: { origin: stack.origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': Object.keys(upload.headers).join(',') },
  });
  expect(preflight.status).toBe(200);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(stack.origin);
  expect((await fetch(upload.url, { method: 'PUT', body, headers: upload.headers })).status).toBe(200);

  expect((await api('POST', `/api/v1/files/${file.id}/confirm`)).body.file).toMatchObject({ status: 'uploaded' });
  const download = (await api('POST', `/api/v1/files/${file.id}/download`)).body.download as { url: string };
  const fetched = await fetch(download.url);
  expect(Buffer.from(await fetched.arrayBuffer())).toEqual(body);

  const onDisk = filesUnder(join(stack.config.DATA_DIR, 's3', 'buckets'));
  expect(onDisk.length).toBe(1);
  expect(readFileSync(onDisk[0] ?? '').includes(Buffer.from('Vasilescu'))).toBe(false);

  const port = Number(new URL(endpoint).port);
  expect(await listening(port)).toBe(true);
  await stack.stop();
  stopped = true;
  expect(await listening(port)).toBe(false);
});
