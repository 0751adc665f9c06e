/**
 * The S3 error vocabulary the embedded server answers with, and its XML body: S3 clients (the AWS
 * SDK, browsers following a presigned URL) read the code from `<Error><Code>`.
 */
const STATUS = {
  AccessDenied: 403,
  SignatureDoesNotMatch: 403,
  InvalidAccessKeyId: 403,
  RequestTimeTooSkewed: 403,
  AuthorizationQueryParametersError: 400,
  AuthorizationHeaderMalformed: 400,
  InvalidArgument: 400,
  InvalidRequest: 400,
  InvalidBucketName: 400,
  KeyTooLongError: 400,
  BadDigest: 400,
  XAmzContentSHA256Mismatch: 400,
  IncompleteBody: 400,
  EntityTooLarge: 400,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  MethodNotAllowed: 405,
  InternalError: 500,
  NotImplemented: 501,
} as const;

export type S3ErrorCode = keyof typeof STATUS;

export class S3Error extends Error {
  override name = 'S3Error';
  readonly code: S3ErrorCode;
  readonly status: number;

  constructor(code: S3ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
  }
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[char] ?? char);

export function errorXml(error: S3Error, resource: string, requestId: string): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>`
    + `<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
}
