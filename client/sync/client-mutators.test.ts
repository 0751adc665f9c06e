import { ApplicationError } from '@rocicorp/zero';
import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../sync-rules/context.ts';
import { AUDIT_ACTIONS, isMutatorName } from '../../sync-rules/mutators.ts';
import { clientMutator } from './client-mutators.ts';

const staff: AuthContext = { principalId: 'p1', organizationId: 'o1', membershipRole: 'staff', platformRole: null };

describe('client mutators', () => {
  it('register every shared mutator under its own name', () => {
    for (const name of Object.keys(AUDIT_ACTIONS)) {
      if (!isMutatorName(name)) throw new Error(name);
      expect(clientMutator(name)?.mutatorName).toBe(name);
    }
  });

  it('carry a DomainError’s code in the details Zero reports', async () => {
    const mutator = clientMutator('location.setStatus');
    if (mutator === undefined) throw new Error('not registered');
    const args = { writeId: crypto.randomUUID(), id: crypto.randomUUID(), status: 'closed' };
    // The permission check refuses before the transaction is used, so no transaction is needed.
    const run = mutator.fn({ args, ctx: staff, tx: {} as never });
    await expect(run).rejects.toBeInstanceOf(ApplicationError);
    await expect(run).rejects.toMatchObject({ details: { code: 'FORBIDDEN' } });
  });
});
