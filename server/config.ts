import { z } from 'zod';

const DEV_SECRET = 'dev-only-secret-change-me-0123456789abcdef';

const ZBool = z.enum(['true', 'false']).transform((value) => value === 'true');
const ZUrl = z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' });

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
