import type { ReadonlyJSONObject } from '@rocicorp/zero';
import { z } from 'zod';
import { isMutatorName, type MutatorName } from '../../sync-rules/mutators.ts';
import { isJsonObject } from './json.ts';

/** One intended write, kept in IndexedDB from before it is first sent until the server settles it. */
export type OutboxEntry = {
  writeId: string;
  name: MutatorName;
  args: ReadonlyJSONObject;
  /** Epoch ms; replays go in this order so a create precedes the edits of its row. */
  createdAt: number;
};

export const ZOutboxEntry = z.object({
  writeId: z.string().min(1),
  name: z.custom<MutatorName>((value) => typeof value === 'string' && isMutatorName(value)),
  args: z.custom<ReadonlyJSONObject>(isJsonObject),
  createdAt: z.number(),
}) satisfies z.ZodType<OutboxEntry>;
