import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The root logger. Tokens, passwords and personal fields are redacted wherever they appear in a
 * log object; data classes drive finer redaction once the classification registry grows.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'core-api' },
    redact: {
      paths: ['token', '*.token', 'authorization', '*.authorization', 'password', '*.password', 'email', '*.email', 'headers.cookie'],
      censor: '[redacted]',
    },
  });
}
