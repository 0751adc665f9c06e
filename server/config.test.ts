import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('boots on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(8080);
    expect(config.DEV_LOGIN).toBe(true);
  });

  it('names the variable that is malformed', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://nope' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://nope' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ AUTH_TOKEN_SECRET: 'short' })).toThrow(/AUTH_TOKEN_SECRET: must be at least 32/);
  });

  it('sends mail to the development mailbox unless SMTP_URL is set, and checks both mail settings', () => {
    expect(loadConfig({}).SMTP_URL).toBeUndefined();
    expect(loadConfig({}).MAIL_FROM).toBe('RestartiX <no-reply@restartix.test>');
    expect(loadConfig({ SMTP_URL: 'smtps://user:pw@smtp.example.com:465' }).SMTP_URL).toBe('smtps://user:pw@smtp.example.com:465');
    expect(() => loadConfig({ SMTP_URL: 'http://smtp.example.com' })).toThrow(/SMTP_URL/);
    expect(loadConfig({ MAIL_FROM: 'Clinica <mail@clinica.example>' }).MAIL_FROM).toBe('Clinica <mail@clinica.example>');
    expect(() => loadConfig({ MAIL_FROM: 'not an address' })).toThrow(/MAIL_FROM/);
  });

  it('runs two jobs at once by default, none when told, and names a malformed JOB_CONCURRENCY', () => {
    expect(loadConfig({}).JOB_CONCURRENCY).toBe(2);
    expect(loadConfig({ JOB_CONCURRENCY: '0' }).JOB_CONCURRENCY).toBe(0);
    expect(() => loadConfig({ JOB_CONCURRENCY: '-1' })).toThrow(/JOB_CONCURRENCY/);
    expect(() => loadConfig({ JOB_CONCURRENCY: 'many' })).toThrow(/JOB_CONCURRENCY/);
  });

  it('refuses to run production on embedded parts, dev secrets or the dev login', () => {
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['DATABASE_URL', 'APP_DATABASE_URL', 'ZERO_UPSTREAM_DB', 'ZERO_CACHE_URL', 'SMTP_URL', 'AUTH_TOKEN_SECRET', 'DEV_LOGIN']) {
      expect(message).toContain(name);
    }
  });
});

describe('key provider config (ADR 0014)', () => {
  const KMS = { KEY_PROVIDER: 'aws-kms', KMS_KEY_ID: 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', KMS_REGION: 'eu-central-1' };

  it('uses the local keyring under DATA_DIR by default, with a bounded, timed key cache', () => {
    const config = loadConfig({});
    expect(config.KEY_PROVIDER).toBe('local-keyring');
    expect(config.KEYRING_FILE).toBeUndefined();
    expect(config.DATA_KEY_CACHE_TTL_SECONDS).toBe(300);
    expect(config.DATA_KEY_CACHE_SIZE).toBe(1000);
  });

  it('selects KMS by environment and names what KMS is missing', () => {
    expect(loadConfig(KMS)).toMatchObject(KMS);
    expect(loadConfig({ ...KMS, KMS_KEY_ID: 'alias/restartix-data-keys' }).KMS_KEY_ID).toBe('alias/restartix-data-keys');
    expect(() => loadConfig({ KEY_PROVIDER: 'aws-kms' })).toThrow(/KMS_KEY_ID: is required when KEY_PROVIDER=aws-kms[\s\S]*KMS_REGION: is required/);
    expect(() => loadConfig({ ...KMS, KMS_KEY_ID: 'my key' })).toThrow(/KMS_KEY_ID: must be a KMS key id/);
    expect(() => loadConfig({ ...KMS, KMS_REGION: 'Frankfurt' })).toThrow(/KMS_REGION: must be an AWS region/);
    expect(() => loadConfig({ KEY_PROVIDER: 'vault' })).toThrow(/KEY_PROVIDER/);
    expect(() => loadConfig({ DATA_KEY_CACHE_TTL_SECONDS: '0' })).toThrow(/DATA_KEY_CACHE_TTL_SECONDS/);
  });

  it('refuses the local keyring in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/KEY_PROVIDER: must be aws-kms in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', ...KMS })).not.toThrow(/KEY_PROVIDER/);
  });
});

describe('config', () => {

  it('reads rate limits as <requests>/<seconds>s, and names a malformed one', () => {
    expect(loadConfig({}).RATE_LIMIT_REST_PER_IP).toEqual({ points: 1200, seconds: 60 });
    expect(loadConfig({ RATE_LIMIT_MUTATE_PER_PRINCIPAL: '30/10s' }).RATE_LIMIT_MUTATE_PER_PRINCIPAL).toEqual({ points: 30, seconds: 10 });
    for (const bad of ['600', '600/60', '0/60s', '600/0s', '-1/60s', 'lots/60s']) {
      expect(() => loadConfig({ RATE_LIMIT_FILES_PER_IP: bad })).toThrow(/RATE_LIMIT_FILES_PER_IP: must be <requests>\/<seconds>s/);
    }
    expect(() => loadConfig({ TRUSTED_PROXY_HOPS: 'one' })).toThrow(/TRUSTED_PROXY_HOPS/);
    expect(() => loadConfig({ RATE_LIMIT_STORE_TIMEOUT_MS: '0' })).toThrow(/RATE_LIMIT_STORE_TIMEOUT_MS/);
  });
  it('puts files in the embedded S3 server unless S3_ENDPOINT is set, and names what is wrong with the storage settings', () => {
    const config = loadConfig({});
    expect(config.S3_ENDPOINT).toBeUndefined();
    expect(config).toMatchObject({ S3_BUCKET: 'restartix-files', S3_REGION: 'eu-central-1', S3_SSE: 'AES256', EMBEDDED_S3_PORT: 0, FILES_RETENTION_DAYS: 30 });
    expect(config.FILES_ALLOWED_TYPES).toEqual(['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'image/heic']);
    const aws = { S3_ENDPOINT: 'https://s3.eu-central-1.amazonaws.com', S3_SSE: 'aws:kms', S3_SSE_KMS_KEY_ID: 'alias/restartix-files' };
    expect(loadConfig(aws)).toMatchObject(aws);
    expect(() => loadConfig({ S3_ENDPOINT: 'ftp://files.example' })).toThrow(/S3_ENDPOINT: must be an http/);
    expect(() => loadConfig({ S3_BUCKET: 'Not_A_Bucket' })).toThrow(/S3_BUCKET: must be an S3 bucket name/);
    expect(() => loadConfig({ S3_ACCESS_KEY_ID: 'RXKEY0001' })).toThrow(/S3_SECRET_ACCESS_KEY: is required with the other S3 credential/);
    expect(() => loadConfig({ S3_SSE: 'aws:kms' })).toThrow(/S3_SSE: aws:kms needs S3_ENDPOINT/);
    expect(() => loadConfig({ S3_SSE_KMS_KEY_ID: 'alias/x' })).toThrow(/S3_SSE_KMS_KEY_ID: is only used with S3_SSE=aws:kms/);
    expect(() => loadConfig({ FILES_MAX_BYTES: '0' })).toThrow(/FILES_MAX_BYTES/);
    expect(() => loadConfig({ FILES_RETENTION_DAYS: '0' })).toThrow(/FILES_RETENTION_DAYS/);
    expect(() => loadConfig({ FILES_DOWNLOAD_URL_TTL_SECONDS: '86400' })).toThrow(/FILES_DOWNLOAD_URL_TTL_SECONDS/);
  });

  it('reads the upload allow-list as media types, and never lets it admit active content', () => {
    expect(loadConfig({ FILES_ALLOWED_TYPES: 'application/pdf, Image/PNG' }).FILES_ALLOWED_TYPES).toEqual(['application/pdf', 'image/png']);
    for (const active of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/javascript']) {
      expect(() => loadConfig({ FILES_ALLOWED_TYPES: `application/pdf,${active}` }), active).toThrow(/FILES_ALLOWED_TYPES(\.\d+)?: must not allow active content/);
    }
    expect(() => loadConfig({ FILES_ALLOWED_TYPES: 'pdf' })).toThrow(/FILES_ALLOWED_TYPES(\.\d+)?: must be a comma-separated list of media types/);
    expect(() => loadConfig({ FILES_ALLOWED_TYPES: ' , ' })).toThrow(/FILES_ALLOWED_TYPES: must name at least one media type/);
  });

  it('refuses production without an https S3 endpoint', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/S3_ENDPOINT: must be an https:\/\/ endpoint in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', S3_ENDPOINT: 'http://minio.internal:9000' })).toThrow(/S3_ENDPOINT: must be an https/);
    expect(() => loadConfig({ NODE_ENV: 'production', S3_ENDPOINT: 'https://s3.eu-central-1.amazonaws.com' })).not.toThrow(/S3_ENDPOINT/);
  });
});
