import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { EncryptedObjectStore, isBucketName, type BodyDigests, type ObjectMeta } from './encrypted-objects.ts';
import { errorXml, S3Error } from './s3-errors.ts';
import { verifySignature, type S3Credentials, type SignedPayload } from './verify-signature.ts';

export type EmbeddedS3Options = {
  /** Objects and the master key live here (DATA_DIR/s3). */
  root: string;
  /** 0: any free port. Always on the loopback. */
  port: number;
  credentials: S3Credentials;
  region: string;
  /** Origins whose pages may upload and download directly (CORS); the platform's own. */
  allowedOrigins: readonly string[];
  log?: (line: string) => void;
};

export type EmbeddedS3 = {
  /** http://127.0.0.1:PORT — path-style: /<bucket>/<key>. */
  endpoint: string;
  store: EncryptedObjectStore;
  stop: () => Promise<void>;
};

// S3's limit for a single PUT.
const MAX_OBJECT_BYTES = 5 * 1024 ** 3;
const MAX_KEY_BYTES = 1024;
const SSE = 'AES256';
// Query parameters this server understands; any other sub-resource (?acl, ?uploads, …) is refused
// rather than silently ignored.
const KNOWN_QUERY = /^(X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token|Content-Sha256)|x-id|x-amz-checksum-mode|response-content-type|response-content-disposition|response-cache-control)$/;
const SUPPORTED_CHECKSUMS = new Set(['x-amz-checksum-sha256', 'x-amz-checksum-crc32']);
const CORS_METHODS = new Set(['GET', 'PUT', 'HEAD']);

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const crc32Base64 = (value: number): string => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
};

function objectHeaders(res: ServerResponse, meta: ObjectMeta, withChecksum: boolean): void {
  res.setHeader('Content-Length', String(meta.size));
  res.setHeader('Content-Type', meta.contentType);
  res.setHeader('ETag', `"${meta.md5}"`);
  res.setHeader('Last-Modified', new Date(meta.lastModified).toUTCString());
  res.setHeader('x-amz-server-side-encryption', SSE);
  if (withChecksum) {
    res.setHeader('x-amz-checksum-sha256', meta.sha256);
    res.setHeader('x-amz-checksum-type', 'FULL_OBJECT');
  }
}

/** Whether the client asked for the object's checksum: as a header, or hoisted into a presigned URL. */
const checksumMode = (req: IncomingMessage, query: URLSearchParams): boolean =>
  (header(req, 'x-amz-checksum-mode') ?? query.get('x-amz-checksum-mode')) === 'ENABLED';

/** The body must be what the request declared, by every digest it declared. */
function checkDigests(req: IncomingMessage, declaredLength: number, payload: SignedPayload, digests: BodyDigests): void {
  if (digests.size !== declaredLength) throw new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
  const md5 = header(req, 'content-md5');
  if (md5 !== undefined && md5 !== digests.md5.toString('base64')) throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
  const sha256 = header(req, 'x-amz-checksum-sha256');
  if (sha256 !== undefined && sha256 !== digests.sha256.toString('base64')) throw new S3Error('BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
  const crc = header(req, 'x-amz-checksum-crc32');
  if (crc !== undefined && crc !== crc32Base64(digests.crc32)) throw new S3Error('BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
  if (payload.kind === 'sha256' && payload.hex !== digests.sha256.toString('hex')) {
    throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
}

/**
 * A small S3-API server for the embedded stack (docs/adr/0016-files-and-object-storage.md): path-style
 * PUT, GET, HEAD and DELETE of objects, buckets created on first use. Every request must be signed
 * (SigV4, presigned URL or Authorization header) with the one configured key; every object is
 * encrypted on disk. Production uses Amazon S3 through the same client code.
 */
export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  const store = await EncryptedObjectStore.open(options.root);
  const say = options.log ?? (() => undefined);
  const allowedOrigins = new Set(options.allowedOrigins);

  async function putObject(req: IncomingMessage, res: ServerResponse, bucket: string, key: string, payload: SignedPayload): Promise<void> {
    if (header(req, 'x-amz-copy-source') !== undefined) throw new S3Error('NotImplemented', 'copying objects is not supported');
    const encoding = header(req, 'content-encoding') ?? '';
    if (encoding.split(',').some((part) => part.trim() === 'aws-chunked')) throw new S3Error('NotImplemented', 'aws-chunked uploads are not supported');
    for (const name of Object.keys(req.headers)) {
      if (name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-type' && !SUPPORTED_CHECKSUMS.has(name)) {
        throw new S3Error('NotImplemented', `${name} is not supported; use x-amz-checksum-sha256`);
      }
    }
    const lengthHeader = header(req, 'content-length');
    if (lengthHeader === undefined) throw new S3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.');
    const declaredLength = Number(lengthHeader);
    if (!Number.isSafeInteger(declaredLength) || declaredLength < 0) throw new S3Error('InvalidArgument', 'Content-Length is not a number of bytes');
    if (declaredLength > MAX_OBJECT_BYTES) throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.');
    const contentType = header(req, 'content-type') ?? 'binary/octet-stream';
    // Only now, signature and headers checked, is the client told to send its body.
    if (header(req, 'expect')?.toLowerCase() === '100-continue') res.writeContinue();
    const staged = await store.stage(bucket, key, req, contentType, MAX_OBJECT_BYTES);
    try {
      checkDigests(req, declaredLength, payload, staged.digests);
    } catch (error) {
      await staged.discard();
      throw error;
    }
    const meta = await staged.commit();
    res.statusCode = 200;
    res.setHeader('ETag', `"${meta.md5}"`);
    res.setHeader('x-amz-server-side-encryption', SSE);
    if (header(req, 'x-amz-checksum-sha256') !== undefined) res.setHeader('x-amz-checksum-sha256', meta.sha256);
    res.end();
  }

  async function getObject(req: IncomingMessage, res: ServerResponse, bucket: string, key: string, query: URLSearchParams): Promise<void> {
    const found = await store.read(bucket, key);
    if (found === null) throw await missing(bucket);
    objectHeaders(res, found.meta, checksumMode(req, query));
    // Whoever follows a download link gets the bytes as data, never as a page of this origin.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    const overrides = [['response-content-type', 'Content-Type'], ['response-content-disposition', 'Content-Disposition'], ['response-cache-control', 'Cache-Control']] as const;
    try {
      for (const [parameter, name] of overrides) {
        const value = query.get(parameter);
        if (value !== null) res.setHeader(name, value);
      }
    } catch {
      found.body.destroy();
      throw new S3Error('InvalidArgument', 'a response-* override is not a valid header value');
    }
    res.statusCode = 200;
    await pipeline(found.body, res);
  }

  async function missing(bucket: string): Promise<S3Error> {
    return (await store.bucketExists(bucket))
      ? new S3Error('NoSuchKey', 'The specified key does not exist.')
      : new S3Error('NoSuchBucket', 'The specified bucket does not exist');
  }

  function cors(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = header(req, 'origin');
    if (origin === undefined || !allowedOrigins.has(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', 'ETag, x-amz-checksum-sha256, x-amz-server-side-encryption');
    return true;
  }

  function preflight(req: IncomingMessage, res: ServerResponse): void {
    const method = header(req, 'access-control-request-method') ?? '';
    const requested = (header(req, 'access-control-request-headers') ?? '').split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
    const headersAllowed = requested.every((name) => name === 'content-type' || name === 'content-md5' || name.startsWith('x-amz-'));
    if (!cors(req, res) || !CORS_METHODS.has(method) || !headersAllowed) {
      res.removeHeader('Access-Control-Allow-Origin');
      throw new S3Error('AccessDenied', 'This CORS request is not allowed.');
    }
    res.setHeader('Access-Control-Allow-Methods', [...CORS_METHODS].join(', '));
    if (requested.length > 0) res.setHeader('Access-Control-Allow-Headers', requested.join(', '));
    res.setHeader('Access-Control-Max-Age', '600');
    res.statusCode = 200;
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    res.setHeader('x-amz-request-id', requestId);
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      preflight(req, res);
      return;
    }
    cors(req, res);
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const query = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
    const slash = rawPath.indexOf('/', 1);
    let bucket: string;
    let key: string;
    try {
      bucket = decodeURIComponent(slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash));
      key = slash === -1 ? '' : decodeURIComponent(rawPath.slice(slash + 1));
    } catch {
      throw new S3Error('InvalidArgument', 'the path is not valid percent-encoding');
    }
    if (bucket === '') throw new S3Error('NotImplemented', 'listing buckets is not supported');
    if (!isBucketName(bucket)) throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.');
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', 'Your key is too long');
    for (const name of query.keys()) {
      if (!KNOWN_QUERY.test(name)) throw new S3Error('NotImplemented', `the ${name} parameter is not supported`);
    }
    // Security: nothing is looked up, and no body is read, before the signature is verified.
    const payload = await verifySignature({ method, rawPath, query, headers: req.headers }, { credentials: options.credentials, region: options.region });

    if (key === '') {
      if (method === 'PUT') {
        await store.createBucket(bucket);
        res.statusCode = 200;
        res.end();
        return;
      }
      if (method === 'HEAD') {
        res.statusCode = (await store.bucketExists(bucket)) ? 200 : 404;
        res.end();
        return;
      }
      throw new S3Error('NotImplemented', `${method} on a bucket is not supported`);
    }
    switch (method) {
      case 'PUT':
        await putObject(req, res, bucket, key, payload);
        return;
      case 'GET':
        await getObject(req, res, bucket, key, query);
        return;
      case 'HEAD': {
        const meta = await store.head(bucket, key);
        if (meta === null) throw await missing(bucket);
        objectHeaders(res, meta, checksumMode(req, query));
        res.statusCode = 200;
        res.end();
        return;
      }
      case 'DELETE':
        await store.delete(bucket, key);
        res.statusCode = 204;
        res.end();
        return;
      default:
        throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    handle(req, res, requestId).catch((thrown: unknown) => {
      const error = thrown instanceof S3Error ? thrown : new S3Error('InternalError', 'We encountered an internal error. Please try again.');
      if (!(thrown instanceof S3Error) || error.code === 'InternalError') say(`${req.method ?? ''} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body = req.method === 'HEAD' ? '' : errorXml(error, (req.url ?? '/').split('?')[0] ?? '/', requestId);
      res.statusCode = error.status;
      for (const name of ['Content-Length', 'ETag', 'Last-Modified', 'Content-Disposition', 'x-amz-checksum-sha256', 'x-amz-checksum-type', 'x-amz-server-side-encryption']) res.removeHeader(name);
      res.setHeader('Content-Type', 'application/xml');
      // An unread body is not worth reading: close the connection instead of draining it.
      if (!req.complete) res.setHeader('Connection', 'close');
      res.end(body);
    });
  };
  const server = createServer(onRequest);
  // Handled like any request: Node would otherwise answer "100 Continue" before the signature is checked.
  server.on('checkContinue', onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => { resolve(); });
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the embedded S3 server is not listening');
  return {
    endpoint: `http://127.0.0.1:${String(address.port)}`,
    store,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}
