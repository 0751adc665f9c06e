import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, QueryParameterBag } from '@smithy/types';
import { NodeSha256 } from './node-sha256.ts';
import { S3Error } from './s3-errors.ts';

export type S3Credentials = { accessKeyId: string; secretAccessKey: string };

/** What a request looks like before its body is read: all a signature covers, except the payload. */
export type UnverifiedRequest = {
  method: string;
  /** The path exactly as it came on the wire, still percent-encoded. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
};

/**
 * What the signature says about the body, which is checked once it has been read: presigned URLs
 * never sign it (UNSIGNED-PAYLOAD); a signed header may name its SHA-256.
 */
export type SignedPayload = { kind: 'unsigned' } | { kind: 'sha256'; hex: string };

export type VerifyOptions = {
  credentials: S3Credentials;
  region: string;
  now?: Date;
};

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
// As S3: a signature dated further ahead of the server's clock than this is refused.
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const LONG_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
// A payload line no request can carry: makes the signer use UNSIGNED-PAYLOAD, as S3 does for every presigned URL.
const BODY_NOT_HASHED = Object.freeze({});

function parseLongDate(value: string | null | undefined): Date | null {
  const match = LONG_DATE.exec(value ?? '');
  if (match === null) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return Number.isNaN(date.getTime()) ? null : date;
}

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

function sameSignature(computed: string | undefined, presented: string): boolean {
  if (computed === undefined || computed.length !== presented.length) return false;
  return timingSafeEqual(Buffer.from(computed), Buffer.from(presented));
}

/** `<key id>/<yyyymmdd>/<region>/s3/aws4_request`, checked against our key and region. */
function checkScope(credential: string, longDate: string, options: VerifyOptions, malformed: (message: string) => S3Error): void {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[3] !== 's3' || parts[4] !== 'aws4_request') throw malformed('the credential is not <key>/<date>/<region>/s3/aws4_request');
  const [accessKeyId, day, region] = parts as [string, string, string];
  if (accessKeyId !== options.credentials.accessKeyId) throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  if (day !== longDate.slice(0, 8)) throw malformed('the credential date does not match the request date');
  if (region !== options.region) throw malformed(`the region '${region}' is wrong; expecting '${options.region}'`);
}

function signedHeaderList(list: string | null | undefined, malformed: (message: string) => S3Error): Set<string> {
  const names = (list ?? '').split(';');
  if (names.some((name) => !HEADER_NAME.test(name))) throw malformed('the signed headers are malformed');
  if (!names.includes('host')) throw malformed('the host header must be signed');
  return new Set(names);
}

/** The request as the client signed it: the signed headers only, with the values that arrived. */
function signableRequest(request: UnverifiedRequest, signed: Set<string>, query: QueryParameterBag): HttpRequest {
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const [hostname = '', port] = (headers.host ?? '').split(':');
  return {
    method: request.method,
    protocol: 'http:',
    hostname,
    ...(port === undefined ? {} : { port: Number(port) }),
    path: request.rawPath,
    query,
    headers,
    body: BODY_NOT_HASHED,
  };
}

function queryBag(query: URLSearchParams, skip: (name: string) => boolean): QueryParameterBag {
  const bag: Record<string, string | string[]> = {};
  for (const [name, value] of query) {
    if (skip(name)) continue;
    const previous = bag[name];
    bag[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return bag;
}

const signer = (options: VerifyOptions) => new SignatureV4({
  credentials: options.credentials,
  region: options.region,
  service: 's3',
  sha256: NodeSha256,
  // S3 signs the path as sent (keys are escaped once), and never adds a payload hash on its own.
  uriEscapePath: false,
  applyChecksum: false,
});

/** A presigned URL (X-Amz-* in the query): recomputed with the signer, refused once expired. */
async function verifyPresigned(request: UnverifiedRequest, options: VerifyOptions): Promise<SignedPayload> {
  const { query } = request;
  const malformed = (message: string) => new S3Error('AuthorizationQueryParametersError', message);
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) throw malformed(`X-Amz-Algorithm must be ${ALGORITHM}`);
  if (query.has('X-Amz-Security-Token')) throw new S3Error('InvalidArgument', 'session tokens are not issued here');
  const longDate = query.get('X-Amz-Date') ?? '';
  const signedAt = parseLongDate(longDate);
  if (signedAt === null) throw malformed('X-Amz-Date must be yyyyMMddTHHmmssZ');
  const expiresIn = Number(query.get('X-Amz-Expires'));
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGNED_SECONDS) throw malformed('X-Amz-Expires must be between 1 and 604800 seconds');
  const presented = query.get('X-Amz-Signature') ?? '';
  if (!SIGNATURE.test(presented)) throw malformed('X-Amz-Signature is malformed');
  checkScope(query.get('X-Amz-Credential') ?? '', longDate, options, malformed);
  const signed = signedHeaderList(query.get('X-Amz-SignedHeaders'), malformed);

  const now = (options.now ?? new Date()).getTime();
  if (signedAt.getTime() - now > MAX_CLOCK_SKEW_MS) throw new S3Error('AccessDenied', 'Request is not valid yet');
  if (now > signedAt.getTime() + expiresIn * 1000) throw new S3Error('AccessDenied', 'Request has expired');

  // Every x-amz-* header the client signed stays a header, as it was when it was presigned.
  const recomputed = await signer(options).presign(
    signableRequest(request, signed, queryBag(query, (name) => name === 'X-Amz-Signature')),
    { signingDate: signedAt, expiresIn, signableHeaders: signed, unhoistableHeaders: signed, signingRegion: options.region, signingService: 's3' },
  );
  const computed = recomputed.query?.['X-Amz-Signature'];
  if (typeof computed !== 'string' || !sameSignature(computed, presented) || recomputed.query?.['X-Amz-SignedHeaders'] !== [...signed].sort().join(';')) {
    throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  return { kind: 'unsigned' };
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

/** An `Authorization: AWS4-HMAC-SHA256 …` header, as the AWS SDK sends for its own calls. */
async function verifyAuthorizationHeader(request: UnverifiedRequest, authorization: string, options: VerifyOptions): Promise<SignedPayload> {
  const malformed = (message: string) => new S3Error('AuthorizationHeaderMalformed', message);
  const match = AUTHORIZATION.exec(authorization);
  if (match === null) throw malformed('the Authorization header is malformed');
  const [, credential = '', signedList, presented = ''] = match;
  if (headerValue(request.headers, 'x-amz-security-token') !== undefined) throw new S3Error('InvalidArgument', 'session tokens are not issued here');
  const longDate = headerValue(request.headers, 'x-amz-date') ?? '';
  const signedAt = parseLongDate(longDate);
  if (signedAt === null) throw new S3Error('AccessDenied', 'x-amz-date must be yyyyMMddTHHmmssZ');
  checkScope(credential, longDate, options, malformed);
  const signed = signedHeaderList(signedList, malformed);
  if (!signed.has('x-amz-date') || !signed.has('x-amz-content-sha256')) throw malformed('x-amz-date and x-amz-content-sha256 must be signed');
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256') ?? '';
  if (payloadHash !== UNSIGNED_PAYLOAD && !SIGNATURE.test(payloadHash)) {
    throw new S3Error('NotImplemented', 'only UNSIGNED-PAYLOAD or a hex SHA-256 of the whole body is supported');
  }
  const now = (options.now ?? new Date()).getTime();
  if (Math.abs(now - signedAt.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new S3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  }

  const resigned = await signer(options).sign(signableRequest(request, signed, queryBag(request.query, () => false)), {
    signingDate: signedAt, signableHeaders: signed, signingRegion: options.region, signingService: 's3',
  });
  const computed = /Signature=([0-9a-f]{64})$/.exec(String(resigned.headers.authorization))?.[1];
  if (!sameSignature(computed, presented)) {
    throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  return payloadHash === UNSIGNED_PAYLOAD ? { kind: 'unsigned' } : { kind: 'sha256', hex: payloadHash };
}

/**
 * Security: every request must carry a valid SigV4 signature by our one key, in the query (a
 * presigned URL) or in the Authorization header; anything else is refused before its body is read.
 * The signature is recomputed by @smithy/signature-v4 from what arrived, so a changed path, query,
 * signed header (content length, type, checksum) or date no longer matches.
 */
export async function verifySignature(request: UnverifiedRequest, options: VerifyOptions): Promise<SignedPayload> {
  const authorization = headerValue(request.headers, 'authorization');
  const presigned = request.query.has('X-Amz-Signature') || request.query.has('X-Amz-Algorithm');
  if (presigned && authorization !== undefined) throw new S3Error('InvalidArgument', 'Only one auth mechanism allowed');
  if (presigned) return verifyPresigned(request, options);
  if (authorization !== undefined) return verifyAuthorizationHeader(request, authorization, options);
  throw new S3Error('AccessDenied', 'Access Denied');
}
