import { defineMutator, type ReadonlyJSONValue, type Transaction } from '@rocicorp/zero';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { AuthContext } from '../context.ts';
import { DomainError } from '../errors.ts';

type WriteFn<TArgs> = (options: { tx: Transaction; args: TArgs; ctx: AuthContext }) => Promise<void>;

/**
 * A shared mutator. Its refusals (DomainError) reach the caller on the first, optimistic run and on
 * the server. When Zero re-applies a still-pending write on top of newer server data (a rebase), a
 * refusal instead makes the write a no-op locally: Zero 1.9 treats an exception there as a fatal
 * sync error, and the server's own verdict on that write reaches the user through the outbox.
 */
export function defineWrite<TInput extends ReadonlyJSONValue | undefined, TOutput extends ReadonlyJSONValue | undefined>(
  validator: StandardSchemaV1<TInput, TOutput>,
  fn: WriteFn<TOutput>,
) {
  return defineMutator(validator, async (options) => {
    try {
      await fn(options);
    } catch (error) {
      if (error instanceof DomainError && options.tx.location === 'client' && options.tx.reason === 'rebase') return;
      throw error;
    }
  });
}
