import type { Sql } from 'postgres';
import type { MembershipRole } from '../../sync-rules/context.ts';
import { addMembership, createHuman, createLocation, createOrganization } from '../../seeds/factories.ts';
import type { KoaHarness } from '../../infra/test/koa-harness.ts';

/** Two clinics with people of several roles, a platform operator and a few locations. */
export type Fixture = {
  alpha: string; beta: string;
  people: Record<'ownerAlpha' | 'adminAlpha' | 'staffAlpha' | 'specialistAlpha' | 'billingAlpha' | 'adminBeta' | 'staffBeta' | 'root', string>;
  locations: Record<'alphaOpen' | 'alphaPaused' | 'alphaShut' | 'betaOpen', string>;
};

export async function seedTwoClinics(sql: Sql, into: Fixture): Promise<void> {
  into.alpha = await createOrganization(sql, { slug: 'alpha', name: 'Alpha' });
  into.beta = await createOrganization(sql, { slug: 'beta', name: 'Beta' });
  const person = async (email: string, orgId: string | null, role: MembershipRole | null) => {
    const id = await createHuman(sql, { email, name: email.split('@')[0] ?? email, platformRole: orgId === null ? 'superadmin' : null });
    if (orgId !== null && role !== null) await addMembership(sql, orgId, id, role);
    return id;
  };
  into.people = {
    ownerAlpha: await person('owner@alpha.test', into.alpha, 'owner'),
    adminAlpha: await person('admin@alpha.test', into.alpha, 'admin'),
    staffAlpha: await person('staff@alpha.test', into.alpha, 'staff'),
    specialistAlpha: await person('specialist@alpha.test', into.alpha, 'specialist'),
    billingAlpha: await person('billing@alpha.test', into.alpha, 'billing'),
    adminBeta: await person('admin@beta.test', into.beta, 'admin'),
    staffBeta: await person('staff@beta.test', into.beta, 'staff'),
    root: await person('root@platform.test', null, null),
  };
  into.locations = {
    alphaOpen: await createLocation(sql, into.alpha, { slug: 'open', name: 'Alpha open' }),
    alphaPaused: await createLocation(sql, into.alpha, { slug: 'paused', name: 'Alpha paused', status: 'inactive' }),
    alphaShut: await createLocation(sql, into.alpha, { slug: 'shut', name: 'Alpha shut', status: 'closed' }),
    betaOpen: await createLocation(sql, into.beta, { slug: 'open', name: 'Beta open' }),
  };
}

export type Reply = { status: number; headers: Headers; body: Record<string, unknown> & { error?: { code: string; message: string; requestId: string } } };

/** One HTTP call with a bearer credential (an access token or an API key). */
export async function call(harness: KoaHarness, method: string, path: string, credential: string | null, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (credential !== null) headers.authorization = `Bearer ${credential}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${harness.origin}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Reply['body']) };
}
