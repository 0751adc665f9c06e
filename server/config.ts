import { z } from 'zod';
import { KEY_PROVIDERS } from './crypto/key-provider.ts';

const DEV_SECRET = 'dev-only-secret-change-me-0123456789abcdef';

const ZBool = z.enum(['true', 'false']).transform((value) => value === 'true');
const ZUrl = z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' });
const KMS_KEY = /^(?:(?:mrk-)?[0-9a-f-]{32,36}|alias\/[A-Za-z0-9/_-]{1,250}|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(?:key\/(?:mrk-)?[0-9a-f-]{32,36}|alias\/[A-Za-z0-9/_-]{1,250}))$/;
// A rate limit: "<requests>/<seconds>s", e.g. 600/60s (server/rate-limits/, ADR 0018).
const ZRate = z
  .string()
  .regex(/^[1-9]\d{0,8}\/[1-9]\d{0,5}s$/, 'must be <requests>/<seconds>s, e.g. 600/60s')
  .transform((value) => {
    const [points = '', seconds = ''] = value.slice(0, -1).split('/');
    return { points: Number(points), seconds: Number(seconds) };
  });

/**
 * Every setting of the platform, read once at boot. Unset means "the embedded default"; a set but
 * malformed value stops boot with the variable's name. Documented one by one in .env.example.
 */
export const ZConfig = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    /** Where browsers reach the platform, when not http://HOST:PORT (a load balancer, TLS). */
    PUBLIC_URL: z.url().optional(),
    DATA_DIR: z.string().default('.data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    // Database. Unset: embedded PostgreSQL 18 under DATA_DIR.
    DATABASE_URL: ZUrl.optional(),
    DATABASE_ADMIN_URL: ZUrl.optional(),
    APP_DATABASE_URL: ZUrl.optional(),
    ZERO_UPSTREAM_DB: ZUrl.optional(),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(55432),
    EMBEDDED_PG_PASSWORD: z.string().min(8).default('restartix-dev-superuser'),
    DB_OWNER_PASSWORD: z.string().min(8).default('restartix-dev-owner'),
    DB_API_PASSWORD: z.string().min(8).default('restartix-dev-api'),
    DB_ZERO_PASSWORD: z.string().min(8).default('restartix-dev-zero'),
    DB_AUTH_PASSWORD: z.string().min(8).default('restartix-dev-auth'),
    AUTH_DATABASE_URL: ZUrl.optional(),
    DB_NAME: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('restartix'),

    // Sync. Unset ZERO_CACHE_URL: a zero-cache child process on ZERO_PORT.
    ZERO_CACHE_URL: z.url().optional(),
    ZERO_APP_ID: z.string().regex(/^[a-z0-9_]+$/, 'lowercase letters, digits and _ only').default('restartix'),
    ZERO_PORT: z.coerce.number().int().min(0).max(65535).default(4848),
    ZERO_API_KEY: z.string().min(16).default('dev-zero-api-key-0123456789'),
    ZERO_ADMIN_PASSWORD: z.string().min(8).default('dev-zero-admin'),

    // Jobs (server/jobs/, ADR 0015): how many outbox and maintenance jobs this process runs at once;
    // 0 runs none here (an API replica beside separate workers).
    JOB_CONCURRENCY: z.coerce.number().int().min(0).max(32).default(2),

    // Sign-in.
    AUTH_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SECRET),
    AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(12 * 3600),
    DEV_LOGIN: ZBool.default(true),
    SEED_DEMO: ZBool.default(true),

    // Mail. Unset SMTP_URL: the development mailbox (SMTP on a free loopback port, read at /dev/mailbox).
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
    MAIL_FROM: z
      .string()
      .regex(/^(?:[^<>\r\n]+ <[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'must be an address, optionally as Name <address>')
      .default('RestartiX <no-reply@restartix.test>'),

    // Files (server/files/, server/storage/, ADR 0016). Unset S3_ENDPOINT: the embedded S3-API server
    // on the loopback (EMBEDDED_S3_PORT), objects encrypted under DATA_DIR/s3.
    S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    S3_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-[0-9]$/, 'must be an AWS region, e.g. eu-central-1').default('eu-central-1'),
    S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').default('restartix-files'),
    /** Both or neither. Unset with S3_ENDPOINT: the AWS SDK's default chain (an instance role). */
    S3_ACCESS_KEY_ID: z.string().regex(/^[A-Za-z0-9._-]{3,128}$/, 'must be an access key id').optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    S3_FORCE_PATH_STYLE: ZBool.default(false),
    /** Server-side encryption asked of S3 on every upload: SSE-S3 (AES256) or SSE-KMS. */
    S3_SSE: z.enum(['AES256', 'aws:kms']).default('AES256'),
    S3_SSE_KMS_KEY_ID: z.string().regex(/^[A-Za-z0-9:/_-]{1,2048}$/, 'must be a KMS key id, ARN or alias').optional(),
    EMBEDDED_S3_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    FILES_MAX_BYTES: z.coerce.number().int().min(1).max(5 * 1024 ** 3).default(25 * 1024 * 1024),
    FILES_ALLOWED_TYPES: z.string()
      .transform((list) => list.split(',').map((type) => type.trim().toLowerCase()).filter((type) => type !== ''))
      .pipe(z.array(z.string()
        .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'must be a comma-separated list of media types')
        // Security: nothing a browser would run as a page or a script of the storage's origin.
        .refine((type) => !/(html|xml|svg|javascript|ecmascript)/.test(type), 'must not allow active content (HTML, XML, SVG, scripts)'))
        .min(1, 'must name at least one media type'))
      .default(['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'image/heic']),
    FILES_UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
    FILES_DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(60),
    /** How long a deleted file can be restored before purgeDeletedFiles removes it for good. */
    FILES_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** How long a deleted patient record can be restored before the purge removes it for good. */
    PATIENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),

    // Keys (server/crypto/, ADR 0014). Unset KEY_PROVIDER: a local keyring file, created on first start.
    KEY_PROVIDER: z.enum(KEY_PROVIDERS).default('local-keyring'),
    /** The local keyring (0600); unset: keyring.json under DATA_DIR. */
    KEYRING_FILE: z.string().min(1).optional(),
    /** The KMS key that wraps every data key: a key id, key ARN, alias/<name> or alias ARN. */
    KMS_KEY_ID: z.string().regex(KMS_KEY, 'must be a KMS key id, key ARN, alias/<name> or alias ARN').optional(),
    KMS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-[0-9]$/, 'must be an AWS region, e.g. eu-central-1').optional(),
    /** How long an unwrapped data key stays in memory, and how soon another server sees a rotation. */
    DATA_KEY_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    DATA_KEY_CACHE_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(1000),

    // Rate limits per route class, counted in PostgreSQL and shared by every replica (ADR 0018).
    // Sign-in has better-auth's own (server/auth/better-auth.ts). Per principal means per person or API key.
    RATE_LIMIT_REST_PER_IP: ZRate.prefault('1200/60s'),
    RATE_LIMIT_REST_PER_PRINCIPAL: ZRate.prefault('600/60s'),
    RATE_LIMIT_MUTATE_PER_PRINCIPAL: ZRate.prefault('600/60s'),
    RATE_LIMIT_TELEMETRY_PER_IP: ZRate.prefault('600/60s'),
    RATE_LIMIT_TELEMETRY_PER_PRINCIPAL: ZRate.prefault('120/60s'),
    RATE_LIMIT_FILES_PER_IP: ZRate.prefault('600/60s'),
    RATE_LIMIT_FILES_PER_PRINCIPAL: ZRate.prefault('120/60s'),
    /** Slower than this, the shared counters are skipped and each replica decides in memory. */
    RATE_LIMIT_STORE_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(250),
    /** Proxies in front of the API that append to X-Forwarded-For (a load balancer: 1). 0: the socket's address. */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  })
  .superRefine((config, issue) => {
    if (config.NODE_ENV !== 'production') return;
    // Security: no production boot on embedded parts or development secrets.
    const required = ['DATABASE_URL', 'APP_DATABASE_URL', 'ZERO_UPSTREAM_DB', 'ZERO_CACHE_URL', 'SMTP_URL'] as const;
    for (const name of required) {
      if (config[name] === undefined) issue.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
    }
    if (config.AUTH_TOKEN_SECRET === DEV_SECRET) {
      issue.addIssue({ code: 'custom', path: ['AUTH_TOKEN_SECRET'], message: 'must be set in production' });
    }
    if (config.DEV_LOGIN) issue.addIssue({ code: 'custom', path: ['DEV_LOGIN'], message: 'must be false in production' });
  })
  .superRefine((config, issue) => {
    if (config.KEY_PROVIDER === 'aws-kms') {
      for (const name of ['KMS_KEY_ID', 'KMS_REGION'] as const) {
        if (config[name] === undefined) issue.addIssue({ code: 'custom', path: [name], message: 'is required when KEY_PROVIDER=aws-kms' });
      }
    }
    // Security: the local keyring sits on the server's disk next to the data it protects.
    if (config.NODE_ENV === 'production' && config.KEY_PROVIDER !== 'aws-kms') {
      issue.addIssue({ code: 'custom', path: ['KEY_PROVIDER'], message: 'must be aws-kms in production' });
    }
  })
  .superRefine((config, issue) => {
    if ((config.S3_ACCESS_KEY_ID === undefined) !== (config.S3_SECRET_ACCESS_KEY === undefined)) {
      issue.addIssue({ code: 'custom', path: [config.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY'], message: 'is required with the other S3 credential' });
    }
    if (config.S3_SSE_KMS_KEY_ID !== undefined && config.S3_SSE !== 'aws:kms') {
      issue.addIssue({ code: 'custom', path: ['S3_SSE_KMS_KEY_ID'], message: 'is only used with S3_SSE=aws:kms' });
    }
    // The embedded server seals every object with its own key; KMS is Amazon's.
    if (config.S3_SSE === 'aws:kms' && config.S3_ENDPOINT === undefined) {
      issue.addIssue({ code: 'custom', path: ['S3_SSE'], message: 'aws:kms needs S3_ENDPOINT (the embedded server encrypts with AES256)' });
    }
    if (config.NODE_ENV === 'production' && config.S3_ENDPOINT?.startsWith('https://') !== true) {
      issue.addIssue({ code: 'custom', path: ['S3_ENDPOINT'], message: 'must be an https:// endpoint in production' });
    }
  });

export type Config = z.infer<typeof ZConfig>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; the error names each offending variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = ZConfig.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(config)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every setting.`);
}
