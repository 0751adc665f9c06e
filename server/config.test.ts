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
