import {
  ApplicationError,
  defineMutator,
  defineMutators,
  isMutator,
  type Mutator,
  type MutatorDefinitions,
  type ReadonlyJSONObject,
  type ReadonlyJSONValue,
} from '@rocicorp/zero';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { mutators, type MutatorName } from '../../sync-rules/mutators.ts';
import type { Schema } from '../../sync-rules/schema.ts';

function jsonDetails(error: DomainError): ReadonlyJSONObject {
  const details: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(error.details ?? {})) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) details[key] = value as string | number | boolean | null;
  }
  return { ...details, code: error.code };
}

/**
 * Zero reports a mutator's exception to the caller as `{message, details}` only, and takes
 * `details` from the error's own `details` field, so a DomainError's `code` would be lost on the
 * client. The server does the same translation for its results.
 */
function withErrorCode(error: unknown): unknown {
  return error instanceof DomainError ? new ApplicationError(error.message, { details: jsonDetails(error), cause: error }) : error;
}

function wrapTree(node: object): MutatorDefinitions {
  const out: Record<string, MutatorDefinitions[string]> = {};
  for (const [key, value] of Object.entries(node)) {
    if (isMutator<Schema>(value)) {
      out[key] = defineMutator(async (options) => {
        try {
          await value.fn(options);
        } catch (error) {
          throw withErrorCode(error);
        }
      });
    } else if (key !== '~' && typeof value === 'object' && value !== null) {
      out[key] = wrapTree(value);
    }
  }
  return out;
}

/**
 * The shared mutators as the client registers them with Zero: same names, same code, with
 * DomainErrors carrying their code. Requests must be built from this registry (Zero checks
 * identity), which the outbox does by name.
 */
export const clientMutators = defineMutators(wrapTree(mutators));

type ClientMutator = Mutator<ReadonlyJSONValue | undefined, Schema, AuthContext, unknown>;

function collect(node: object, into: Map<string, ClientMutator>): Map<string, ClientMutator> {
  for (const [key, value] of Object.entries(node)) {
    if (isMutator<Schema>(value)) into.set(value.mutatorName, value);
    else if (key !== '~' && typeof value === 'object' && value !== null) collect(value, into);
  }
  return into;
}

const BY_NAME = collect(clientMutators, new Map());

/** The registered mutator of this name, for writes the outbox holds as (name, args). */
export function clientMutator(name: MutatorName): ClientMutator | undefined {
  return BY_NAME.get(name);
}
