import { pino, type Logger } from 'pino';
import { DATA_CLASSES, REDACTED_CLASSES } from '../db/data-classes.ts';

export type { Logger };

/**
 * Field names that hold personal, health or secret values without being a column of ours (yet), or
 * that carry such values in errors: Postgres puts the offending row in `detail` ("Key (email)=(…)"),
 * and a query's bound values are its `parameters`.
 */
const ALIASES = [
  'authorization', 'cookie', 'set-cookie', 'password', 'token', 'secret', 'apiKey', 'email', 'name',
  'phone', 'phoneNumber', 'firstName', 'lastName', 'fullName', 'dateOfBirth', 'detail', 'parameters',
];

const CENSOR = '[redacted]';
// Deep enough for any log object we write; deeper values are replaced rather than walked.
const MAX_DEPTH = 8;

/** `recipient_email`, `recipientEmail` and `RecipientEmail` are one field to the redactor. */
function normalize(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Column names whose class may never be logged (read from the registry), plus the aliases. */
export function redactedKeys(): string[] {
  const fromClasses = Object.values(DATA_CLASSES).flatMap((columns) =>
    Object.entries(columns).filter(([, dataClass]) => REDACTED_CLASSES.includes(dataClass)).map(([column]) => column));
  return [...new Set([...fromClasses, ...ALIASES])].sort();
}

/** Returns a copy of `value` with every redacted field censored, at any depth, in arrays and errors too. */
export function redactDeep(value: unknown, redacted: ReadonlySet<string>, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH || seen.has(value)) return CENSOR;
  seen.add(value);
  if (value instanceof Error) return redactDeep(pino.stdSerializers.err(value), redacted, depth, seen);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redacted, depth + 1, seen));
  // Dates, buffers and the like are leaves; only plain records are walked.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = redacted.has(normalize(key)) && field !== undefined && field !== null ? CENSOR : redactDeep(field, redacted, depth + 1, seen);
  }
  return copy;
}

/**
 * The root logger. Values of personal, health and secret columns, and credentials, are censored in
 * every log object at any depth (formatters.log). Child bindings (`log.child({...})`) do not pass
 * through that formatter, so the same names are also redacted there, at the top and one level down.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const keys = redactedKeys();
  const redacted = new Set(keys.map(normalize));
  const bindingPaths = [...new Set(keys.flatMap((key) => [key, key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())]))]
    .filter((key) => /^[A-Za-z_$][\w$]*$/.test(key));
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'core-api' },
    formatters: { log: (object) => redactDeep(object, redacted) as Record<string, unknown> },
    // The formatter has already serialised errors (keeping their type); the default serialiser would
    // see a plain object and call its type "Object".
    serializers: { err: (value: unknown) => (value instanceof Error ? pino.stdSerializers.err(value) : value) },
    redact: { paths: [...bindingPaths, ...bindingPaths.map((key) => `*.${key}`)], censor: CENSOR },
  };
  return destination === undefined ? pino(options) : pino(options, destination as pino.DestinationStream);
}
