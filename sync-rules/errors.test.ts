import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { locationMutators } from './mutators/locations.ts';

describe('DomainError', () => {
  it('carries its code in details, where Zero reports a client-side refusal', async () => {
    const staff = { principalId: 'p1', organizationId: 'o1', membershipRole: 'staff', platformRole: null } as const;
    const args = { writeId: crypto.randomUUID(), id: crypto.randomUUID(), status: 'closed' } as const;
    // The permission check refuses before the transaction is touched.
    const run = locationMutators.setStatus.fn({ args, ctx: staff, tx: {} as never });
    await expect(run).rejects.toBeInstanceOf(DomainError);
    await expect(run).rejects.toMatchObject({ code: 'FORBIDDEN', details: { code: 'FORBIDDEN' } });
  });

  it('keeps extra details beside the code', () => {
    expect(new DomainError('SLUG_TAKEN', 'taken', { field: 'slug' }).details).toEqual({ field: 'slug', code: 'SLUG_TAKEN' });
  });
});
