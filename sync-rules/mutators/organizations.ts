import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { zql } from '../schema.ts';
import { ZId, ZName, ZSlug, ZWriteId } from '../validation.ts';
import { defineWrite } from './define-write.ts';
import { requirePermission } from './guards.ts';

export const ZCreateOrganization = z.object({
  writeId: ZWriteId,
  id: ZId,
  name: ZName,
  slug: ZSlug,
  tenancyMode: z.enum(['shared', 'dedicated']).default('shared'),
});

export const organizationMutators = {
  create: defineWrite(ZCreateOrganization, async ({ tx, args, ctx }) => {
    requirePermission(ctx, 'platform.manage');
    const clash = await tx.run(zql.organizations.where('slug', args.slug).one());
    if (clash !== undefined && clash.id !== args.id) throw new DomainError('SLUG_TAKEN', `slug ${args.slug} is taken`, { field: 'slug' });
    const now = Date.now();
    await tx.mutate.organizations.insert({
      id: args.id,
      slug: args.slug,
      name: args.name,
      tenancyMode: args.tenancyMode,
      activatedAt: null,
      createdAt: now,
      updatedAt: now,
    });
  }),
};
