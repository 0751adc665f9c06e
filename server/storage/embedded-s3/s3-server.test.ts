import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedS3, type EmbeddedS3 } from './s3-server.ts';

/**
 * The embedded S3-API server from the attacker's side: through the AWS SDK (what the application
 * uses), through presigned URLs as a browser follows them, and by looking at its disk.
 */

const REGION = 'eu-central-1';
const BUCKET = 'restartix-files';
const ORIGIN = 'http://localhost:8080';
const credentials = { accessKeyId: 'RXTESTKEY0001', secretAccessKey: randomBytes(32).toString('base64url') };
const root = mkdtempSync(join(resolve(import.meta.dirname, '..', '..', '..', '.data'), 's3-test-'));
let s3: EmbeddedS3;
let client: S3Client;

const clientWith = (endpoint: string, keys: typeof credentials) => new S3Client({
  endpoint, region: REGION, forcePathStyle: true, credentials: keys, maxAttempts: 1,
  requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
});

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  s3 = await startEmbeddedS3({ root, port: 0, credentials, region: REGION, allowedOrigins: [ORIGIN] });
  client = clientWith(s3.endpoint, credentials);
});
afterAll(async () => {
  client.destroy();
  await s3.stop();
  rmSync(root, { recursive: true, force: true });
});

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('base64');
const errorCode = async (response: Response) => /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
/** What the SDK's call was refused with: the S3 error code. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof S3ServiceException) return error.name;
    throw error;
  }
  throw new Error('the call was not refused');
}

/** A presigned PUT binding length, type and SHA-256, as the files service issues it. */
async function presignedPut(key: string, body: Buffer, contentType = 'application/pdf', options: { signingDate?: Date; expiresIn?: number } = {}) {
  const checksum = sha256(body);
  const url = await getSignedUrl(client, new PutObjectCommand({
    Bucket: BUCKET, Key: key, ContentType: contentType, ContentLength: body.length, ChecksumSHA256: checksum, ServerSideEncryption: 'AES256',
  }), { expiresIn: options.expiresIn ?? 300, signableHeaders: new Set(['content-type', 'content-length']), unhoistableHeaders: new Set(['x-amz-checksum-sha256']), ...(options.signingDate === undefined ? {} : { signingDate: options.signingDate }) });
  return { url, headers: { 'content-type': contentType, 'x-amz-checksum-sha256': checksum, 'x-amz-server-side-encryption': 'AES256' } };
}

const presignedGet = (key: string, options: { signingDate?: Date; expiresIn?: number } = {}) =>
  getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: options.expiresIn ?? 60, ...(options.signingDate === undefined ? {} : { signingDate: options.signingDate }) });

const put = (key: string, body: Buffer | string, contentType = 'application/pdf') =>
  client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: contentType }));
const read = async (key: string) => Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body?.transformToByteArray() ?? []);

/** Every file the server keeps on disk, read raw. */
function everythingOnDisk(dir = root): Buffer[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? everythingOnDisk(path) : [readFileSync(path)];
  });
}

describe('through the AWS SDK', () => {
  it('puts, heads, gets and deletes an object, creating the bucket on first use', async () => {
    const body = Buffer.from('Scrisoare medicală: pacient cu entorsă de gleznă');
    await put('files/sdk-round-trip', body, 'text/plain');
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'files/sdk-round-trip', ChecksumMode: 'ENABLED' }));
    expect(head).toMatchObject({ ContentLength: body.length, ContentType: 'text/plain', ChecksumSHA256: sha256(body), ServerSideEncryption: 'AES256' });
    expect(await read('files/sdk-round-trip')).toEqual(body);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'files/sdk-round-trip' }));
    expect(await refusal(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'files/sdk-round-trip' })))).toBe('NotFound');
    expect(await refusal(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'files/sdk-round-trip' })))).toBe('NoSuchKey');
  });

  it('streams a body of several megabytes both ways intact', async () => {
    const body = randomBytes(3 * 1024 * 1024 + 17);
    await put('files/large', body);
    expect((await read('files/large')).equals(body)).toBe(true);
  });

  it('refuses a client with the wrong secret or an unknown key, and stores nothing', async () => {
    const wrongSecret = clientWith(s3.endpoint, { ...credentials, secretAccessKey: randomBytes(32).toString('base64url') });
    const unknownKey = clientWith(s3.endpoint, { ...credentials, accessKeyId: 'RXSOMEONEELSE' });
    expect(await refusal(wrongSecret.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'files/forged', Body: 'x' })))).toBe('SignatureDoesNotMatch');
    expect(await refusal(unknownKey.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'files/forged', Body: 'x' })))).toBe('InvalidAccessKeyId');
    expect(await refusal(wrongSecret.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'files/large' })))).toBe('SignatureDoesNotMatch');
    expect(await refusal(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'files/forged' })))).toBe('NotFound');
    wrongSecret.destroy();
    unknownKey.destroy();
  });
});

describe('unsigned and forged requests', () => {
  it('refuses anything unsigned, before reading a body or looking anything up', async () => {
    await put('files/private', Buffer.from('private'));
    for (const [method, body] of [['GET', undefined], ['HEAD', undefined], ['DELETE', undefined], ['PUT', 'overwritten']] as const) {
      const response = await fetch(`${s3.endpoint}/${BUCKET}/files/private`, { method, ...(body === undefined ? {} : { body }) });
      expect(response.status, method).toBe(403);
      if (method !== 'HEAD') expect(await errorCode(response), method).toBe('AccessDenied');
    }
    expect((await read('files/private')).toString()).toBe('private');
  });

  it('refuses an unsigned upload that waits for "100 Continue" without ever inviting its body', async () => {
    const outcome = await new Promise<{ status: number; invited: boolean }>((done, fail) => {
      let invited = false;
      const sent = request(`${s3.endpoint}/${BUCKET}/files/private`, { method: 'PUT', headers: { expect: '100-continue', 'content-length': '1048576' } }, (response) => {
        response.resume();
        response.on('end', () => { done({ status: response.statusCode ?? 0, invited }); });
      });
      sent.on('continue', () => { invited = true; sent.end(Buffer.alloc(1048576)); });
      sent.on('error', fail);
      sent.flushHeaders();
    });
    expect(outcome).toEqual({ status: 403, invited: false });
    expect((await read('files/private')).toString()).toBe('private');
  });

  it('answers S3-style XML errors', async () => {
    const response = await fetch(`${s3.endpoint}/${BUCKET}/files/private`);
    expect(response.headers.get('content-type')).toBe('application/xml');
    expect(await response.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>[^<]+<\/Message><Resource>\/restartix-files\/files\/private<\/Resource><RequestId>[0-9A-F]{16}<\/RequestId><\/Error>$/);
  });

  it('never maps a key onto a path of its own: traversal names only another object', async () => {
    // Sent byte for byte (fetch would resolve the dot segments itself).
    const url = await presignedGet('../keys/master.key');
    const target = url.slice(s3.endpoint.length);
    expect(target.startsWith(`/${BUCKET}/../keys/master.key?`)).toBe(true);
    const { status, body } = await new Promise<{ status: number; body: string }>((done, fail) => {
      const sent = request(`${s3.endpoint}/`, { path: target }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => { text += chunk.toString(); });
        response.on('end', () => { done({ status: response.statusCode ?? 0, body: text }); });
      });
      sent.on('error', fail);
      sent.end();
    });
    expect(status).toBe(404);
    expect(body).toContain('<Code>NoSuchKey</Code>');
  });
});

describe('presigned GET', () => {
  it('serves the object as an attachment that cannot run as a page of this origin', async () => {
    await put('files/report', Buffer.from('%PDF-1.7 report'));
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: 'files/report', ResponseContentDisposition: 'attachment; filename="report.pdf"' }), { expiresIn: 60 });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('%PDF-1.7 report');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="report.pdf"');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(response.headers.get('x-amz-server-side-encryption')).toBe('AES256');
  });

  it('refuses an expired URL', async () => {
    const url = await presignedGet('files/report', { signingDate: new Date(Date.now() - 10 * 60_000), expiresIn: 60 });
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it('refuses a URL whose signature, expiry, date, key or parameters were changed', async () => {
    const url = new URL(await presignedGet('files/report'));
    const tampered = (change: (copy: URL) => void) => {
      const copy = new URL(url);
      change(copy);
      return copy;
    };
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    const variants = {
      signature: tampered((copy) => { copy.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`); }),
      longerExpiry: tampered((copy) => { copy.searchParams.set('X-Amz-Expires', '604800'); }),
      laterDate: tampered((copy) => { copy.searchParams.set('X-Amz-Date', (copy.searchParams.get('X-Amz-Date') ?? '').replace(/\d\dZ$/, '59Z')); }),
      otherKey: tampered((copy) => { copy.pathname = `/${BUCKET}/files/private`; }),
      addedParameter: tampered((copy) => { copy.searchParams.set('response-content-type', 'text/html'); }),
    };
    for (const [name, variant] of Object.entries(variants)) {
      const response = await fetch(variant);
      expect(response.status, name).toBe(403);
      expect(await errorCode(response), name).toBe('SignatureDoesNotMatch');
    }
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('presigned PUT', () => {
  const body = Buffer.from('%PDF-1.7 the declared file');

  it('stores exactly the declared body', async () => {
    const { url, headers } = await presignedPut('files/declared', body);
    const response = await fetch(url, { method: 'PUT', body, headers });
    expect(response.status).toBe(200);
    expect(await read('files/declared')).toEqual(body);
  });

  it('refuses a body of another length, type or checksum, and stores nothing', async () => {
    const other = Buffer.from(body);
    other[other.length - 1] = 0x21;
    const { url, headers } = await presignedPut('files/refused', body);
    const attempts = {
      longer: { body: Buffer.concat([body, Buffer.from('+')]), headers, code: 'SignatureDoesNotMatch', status: 403 },
      otherType: { body, headers: { ...headers, 'content-type': 'text/html' }, code: 'SignatureDoesNotMatch', status: 403 },
      noChecksum: { body, headers: { 'content-type': headers['content-type'], 'x-amz-server-side-encryption': 'AES256' }, code: 'SignatureDoesNotMatch', status: 403 },
      otherChecksum: { body: other, headers: { ...headers, 'x-amz-checksum-sha256': sha256(other) }, code: 'SignatureDoesNotMatch', status: 403 },
      sameLengthOtherBytes: { body: other, headers, code: 'BadDigest', status: 400 },
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      const response = await fetch(url, { method: 'PUT', body: attempt.body, headers: attempt.headers });
      expect(response.status, name).toBe(attempt.status);
      expect(await errorCode(response), name).toBe(attempt.code);
    }
    expect(await refusal(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'files/refused' })))).toBe('NotFound');
  });

  it('refuses an expired upload URL', async () => {
    const { url, headers } = await presignedPut('files/late', body, 'application/pdf', { signingDate: new Date(Date.now() - 10 * 60_000), expiresIn: 60 });
    const response = await fetch(url, { method: 'PUT', body, headers });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it('lets the platform\'s own pages upload (CORS), and no other origin', async () => {
    const preflight = (origin: string) => fetch(`${s3.endpoint}/${BUCKET}/files/x`, {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,x-amz-checksum-sha256,x-amz-server-side-encryption' },
    });
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('PUT');
    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('encryption at rest', () => {
  const marker = 'PATIENT-NAME-Ionescu-Maria-1987';

  it('keeps no plaintext on disk, and its master key readable by this user only', async () => {
    const body = Buffer.from(`${marker} `.repeat(200));
    await put('files/plain-marker', body, 'text/plain');
    const disk = everythingOnDisk();
    expect(disk.length).toBeGreaterThan(0);
    for (const file of disk) {
      expect(file.includes(marker)).toBe(false);
      expect(file.includes('files/plain-marker')).toBe(false);
      expect(file.includes('text/plain')).toBe(false);
    }
    expect(statSync(join(root, 'keys', 'master.key')).mode & 0o777).toBe(0o600);
  });

  it('encrypts whatever the client asked for (no encryption header at all)', async () => {
    const body = Buffer.from(`${marker} unasked`);
    await put('files/no-sse-header', body, 'text/plain');
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'files/no-sse-header' }));
    expect(head.ServerSideEncryption).toBe('AES256');
    expect(readFileSync(s3.store.pathOf(BUCKET, 'files/no-sse-header')).includes(marker)).toBe(false);
  });

  it('refuses, and leaks nothing of, an object whose file was altered or moved under another key', async () => {
    await put('files/victim', Buffer.from(`${marker} victim`), 'text/plain');
    await put('files/altered', Buffer.from(`${marker} altered`), 'text/plain');
    const altered = s3.store.pathOf(BUCKET, 'files/altered');
    const bytes = readFileSync(altered);
    bytes[60] = (bytes[60] ?? 0) ^ 0x01;
    writeFileSync(altered, bytes);
    const tampered = await fetch(await presignedGet('files/altered'));
    expect(tampered.status).toBe(500);
    expect(await tampered.text()).not.toContain(marker);

    // The victim's sealed file put in place of another object: bound to its own name, it does not open.
    await put('files/decoy', Buffer.from('decoy'), 'text/plain');
    renameSync(s3.store.pathOf(BUCKET, 'files/victim'), s3.store.pathOf(BUCKET, 'files/decoy'));
    const moved = await fetch(await presignedGet('files/decoy'));
    expect(moved.status).toBe(500);
    expect(await moved.text()).not.toContain(marker);
  });

  it('reads its objects again after a restart with the same key, and not with another', async () => {
    await put('files/durable', Buffer.from('kept across restarts'), 'text/plain');
    await s3.stop();
    s3 = await startEmbeddedS3({ root, port: 0, credentials, region: REGION, allowedOrigins: [ORIGIN] });
    client.destroy();
    client = clientWith(s3.endpoint, credentials);
    expect((await read('files/durable')).toString()).toBe('kept across restarts');

    await s3.stop();
    writeFileSync(join(root, 'keys', 'master.key'), randomBytes(32));
    s3 = await startEmbeddedS3({ root, port: 0, credentials, region: REGION, allowedOrigins: [ORIGIN] });
    client.destroy();
    client = clientWith(s3.endpoint, credentials);
    expect(await refusal(read('files/durable'))).toBe('InternalError');
  });
});
