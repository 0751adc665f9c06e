import type { Transaction } from '@rocicorp/zero';
import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { zql } from '../schema.ts';
import { ZId, ZName, ZSlug, ZWriteId } from '../validation.ts';
import { defineWrite } from './define-write.ts';
import { requireOrganization, requirePermission } from './guards.ts';

export const LOCATION_STATUSES = ['active', 'inactive', 'closed'] as const;
export type LocationStatus = (typeof LOCATION_STATUSES)[number];

const ZAddressPart = (max: number) => z.string().trim().max(max);

export const ZCreateLocation = z.object({
  writeId: ZWriteId,
  id: ZId,
  name: ZName,
  slug: ZSlug,
  address: ZAddressPart(500).default(''),
  city: ZAddressPart(200).default(''),
  country: ZAddressPart(100).default(''),
});

export const ZUpdateLocation = z.object({
  writeId: ZWriteId,
  id: ZId,
  name: ZName.optional(),
  slug: ZSlug.optional(),
  address: ZAddressPart(500).optional(),
  city: ZAddressPart(200).optional(),
  country: ZAddressPart(100).optional(),
});

export const ZSetLocationStatus = z.object({
  writeId: ZWriteId,
  id: ZId,
  status: z.enum(LOCATION_STATUSES),
});

/** active ⇄ inactive; either may close; closed is terminal (re-opening means a new location). */
export function canTransition(from: LocationStatus, to: LocationStatus): boolean {
  if (from === 'closed') return false;
  return from !== to;
}

async function loadLocation(tx: Transaction, id: string) {
  const location = await tx.run(zql.locations.where('id', id).one());
  // Security: the same answer for "missing" and "not yours", so ids cannot be probed.
  if (location === undefined) throw new DomainError('NOT_FOUND', 'location not found');
  return location;
}

async function assertSlugFree(tx: Transaction, organizationId: string, slug: string, id: string) {
  const clash = await tx.run(zql.locations.where('organizationId', organizationId).where('slug', slug).one());
  if (clash !== undefined && clash.id !== id) throw new DomainError('SLUG_TAKEN', `slug ${slug} is taken`, { field: 'slug' });
}

export const locationMutators = {
  create: defineWrite(ZCreateLocation, async ({ tx, args, ctx }) => {
    requirePermission(ctx, 'locations.manage');
    const organizationId = requireOrganization(ctx);
    await assertSlugFree(tx, organizationId, args.slug, args.id);
    const now = Date.now();
    await tx.mutate.locations.insert({
      id: args.id,
      organizationId,
      slug: args.slug,
      name: args.name,
      address: args.address,
      city: args.city,
      country: args.country,
      status: 'active',
      closedAt: null,
      createdAt: now,
      updatedAt: now,
    });
  }),

  update: defineWrite(ZUpdateLocation, async ({ tx, args, ctx }) => {
    requirePermission(ctx, 'locations.manage');
    const organizationId = requireOrganization(ctx);
    const location = await loadLocation(tx, args.id);
    if (location.status === 'closed') throw new DomainError('LOCATION_CLOSED', 'a closed location cannot change');
    if (args.slug !== undefined) await assertSlugFree(tx, organizationId, args.slug, args.id);
    const { writeId: _writeId, ...changes } = args;
    await tx.mutate.locations.update({ ...changes, updatedAt: Date.now() });
  }),

  setStatus: defineWrite(ZSetLocationStatus, async ({ tx, args, ctx }) => {
    requirePermission(ctx, 'locations.manage');
    requireOrganization(ctx);
    const location = await loadLocation(tx, args.id);
    if (location.status === args.status && tx.location === 'client') {
      // A replay from the offline outbox of a change this device already shows: nothing to do.
      // The server, which knows whether it is a replay, decides for real.
      return;
    }
    if (location.status === 'closed') throw new DomainError('LOCATION_CLOSED', 'a closed location is closed for good');
    if (!canTransition(location.status, args.status)) {
      throw new DomainError('INVALID_TRANSITION', `location is already ${location.status}`, { from: location.status, to: args.status });
    }
    const now = Date.now();
    await tx.mutate.locations.update({
      id: args.id,
      status: args.status,
      closedAt: args.status === 'closed' ? now : null,
      updatedAt: now,
    });
  }),
};
