import type { z } from 'zod';
import { DomainError } from '../../sync-rules/errors.ts';

/** Parses a route's input with its schema, or INVALID_INPUT naming each offending field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new DomainError('INVALID_INPUT', 'the request is not valid', {
    issues: result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
  });
}
