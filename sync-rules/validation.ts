import { z } from 'zod';

/** A client-generated id for one intended write; the server applies each at most once. */
export const ZWriteId = z.uuid();
export const ZId = z.uuid();

export const ZSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/, 'lowercase letters, digits and dashes, 1 to 50 characters');

export const ZName = z.string().trim().min(1).max(200);
