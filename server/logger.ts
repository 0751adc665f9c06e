import { pino, type Logger } from 'pino';
import { DATA_CLASSES, REDACTED_CLASSES } from '../db/data-classes.ts';

export type { Logger };

/** Column names whose class may never be logged, plus credentials that are not columns. */
export function redactedKeys(): string[] {
  const fromClasses = Object.values(DATA_CLASSES).flatMap((columns) =>
    Object.entries(columns).filter(([, dataClass]) => REDACTED_CLASSES.includes(dataClass)).map(([column]) => column));
  return [...new Set([...fromClasses, 'token', 'authorization', 'password', 'cookie'])].sort();
}

/**
 * The root logger. Values of personal, health and secret columns, and credentials, are redacted
 * wherever they appear in a log object, at the top level or one level down.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const keys = redactedKeys();
  const options = {
    level,
    base: { service: 'core-api' },
    redact: { paths: [...keys, ...keys.map((key) => `*.${key}`)], censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination as pino.DestinationStream);
}
