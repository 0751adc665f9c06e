import type { Sql } from 'postgres';
import { DomainError } from '../../sync-rules/errors.ts';
import type { LocationStatus } from '../../sync-rules/mutators/locations.ts';
import { actAsCaller, requireCallerPermission, type Caller } from '../api-keys/caller.ts';

export type LocationView = {
  id: string;
  slug: string;
  name: string;
  address: string;
  city: string;
  country: string;
  status: LocationStatus;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

type LocationRow = {
  id: string;
  slug: string;
  name: string;
  address: string;
  city: string;
  country: string;
  status: LocationStatus;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

const view = (row: LocationRow): LocationView => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  address: row.address,
  city: row.city,
  country: row.country,
  status: row.status,
  closedAt: row.closed_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/**
 * The caller's clinic's locations. Permission first; then RLS (members through locations_access, API
 * keys through locations_api_key_read) and the explicit organisation filter both scope the rows.
 */
export async function listLocations(sql: Sql, caller: Caller, filter: { status?: LocationStatus | undefined }): Promise<LocationView[]> {
  const organizationId = requireCallerPermission(caller, 'locations.read');
  return sql.begin(async (tx) => {
    await actAsCaller(tx, caller);
    const rows = await tx<LocationRow[]>`
      select id, slug, name, address, city, country, status, closed_at, created_at, updated_at
      from locations
      where organization_id = ${organizationId}
        ${filter.status === undefined ? tx`` : tx`and status = ${filter.status}`}
      order by name, id`;
    return rows.map(view);
  });
}

/** One location of the caller's clinic; NOT_FOUND alike for a missing id and another clinic's. */
export async function getLocation(sql: Sql, caller: Caller, id: string): Promise<LocationView> {
  const organizationId = requireCallerPermission(caller, 'locations.read');
  return sql.begin(async (tx) => {
    await actAsCaller(tx, caller);
    const [row] = await tx<LocationRow[]>`
      select id, slug, name, address, city, country, status, closed_at, created_at, updated_at
      from locations where id = ${id} and organization_id = ${organizationId}`;
    if (row === undefined) throw new DomainError('NOT_FOUND', 'location not found');
    return view(row);
  });
}
