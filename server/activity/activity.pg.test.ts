import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal } from '../../infra/test/database.ts';
import { startKoaHarness, type KoaHarness } from '../../infra/test/koa-harness.ts';
import { waitForLockWaiters } from '../../infra/test/lock-waiters.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { call, seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import { createAuthenticator, type Authenticator } from '../auth/authenticate.ts';
import type { TokenClaims, TokenService } from '../auth/tokens.ts';
import { createLogger } from '../logger.ts';
import type { RequestContext } from '../request-context.ts';
import { createActivityTracker, type ActivityTracker } from './activity-tracker.ts';
import { activityRoutes } from './router.ts';

/**
 * Last seen per principal and organisation: written when a request authenticates through the real
 * authenticator (tokens map to claims here; their cryptography is tested in server/auth/), at most
 * once a window, never holding the request up; read by the clinic's members.manage holders only.
 */

const fx = {} as Fixture;
let harness: KoaHarness;
let tracker: ActivityTracker;
let authenticate: Authenticator;
let clock = 1_000_000;
const claimsByToken = new Map<string, TokenClaims>();
const tokens: TokenService = {
  issue: null,
  verify: (token) => {
    const claims = claimsByToken.get(token);
    return claims === undefined ? Promise.reject(new Error('unknown token')) : Promise.resolve(claims);
  },
};

function tokenFor(principalId: string, organizationId: string | null): string {
  const token = `t.${randomBytes(12).toString('hex')}`;
  claimsByToken.set(token, { principalId, organizationId });
  return token;
}

beforeAll(async () => {
  harness = await startKoaHarness(inject('pgSuperuserUrl'), (sql) => seedTwoClinics(sql, fx), ({ sql }) => {
    tracker = createActivityTracker({ sql, log: createLogger('silent'), now: () => clock });
    authenticate = createAuthenticator(sql, tokens, 'reject', tracker);
    return [activityRoutes({ sql, authenticate })];
  });
});
afterAll(async () => { await harness.stop(); });

const request = (): RequestContext => ({ requestId: 'req-activity', auth: null, log: createLogger('silent') });

async function lastSeen(principalId: string, organizationId: string | null): Promise<Date | undefined> {
  const [row] = await harness.db.admin<{ last_seen_at: Date }[]>`
    select last_seen_at from principal_activity where principal_id = ${principalId} and organization_id is not distinct from ${organizationId}`;
  return row?.last_seen_at;
}

describe('recording', () => {
  it('records a request that authenticates, per organisation, and nothing for one that does not', async () => {
    await authenticate(`Bearer ${tokenFor(fx.people.staffAlpha, fx.alpha)}`, request());
    await authenticate(`Bearer ${tokenFor(fx.people.root, null)}`, request());
    await expect(authenticate('Bearer forged', request())).rejects.toThrow();
    // A membership that is gone is refused, and not recorded either.
    await expect(authenticate(`Bearer ${tokenFor(fx.people.staffBeta, fx.alpha)}`, request())).rejects.toThrow(/membership/);
    await tracker.settled();
    expect(await lastSeen(fx.people.staffAlpha, fx.alpha)).toBeInstanceOf(Date);
    expect(await lastSeen(fx.people.root, null)).toBeInstanceOf(Date);
    expect(await lastSeen(fx.people.staffBeta, fx.alpha)).toBeUndefined();
  });

  it('writes at most once a minute per principal and organisation', async () => {
    const token = tokenFor(fx.people.billingAlpha, fx.alpha);
    await authenticate(`Bearer ${token}`, request());
    await tracker.settled();
    const first = await lastSeen(fx.people.billingAlpha, fx.alpha);
    clock += 59_000;
    for (let i = 0; i < 5; i += 1) await authenticate(`Bearer ${token}`, request());
    await tracker.settled();
    expect(await lastSeen(fx.people.billingAlpha, fx.alpha)).toEqual(first);
    clock += 1_000;
    await authenticate(`Bearer ${token}`, request());
    await tracker.settled();
    const second = await lastSeen(fx.people.billingAlpha, fx.alpha);
    expect(second?.getTime()).toBeGreaterThan(first?.getTime() ?? Infinity);
    const [count] = await harness.db.admin<{ n: number }[]>`
      select count(*)::int as n from principal_activity where principal_id = ${fx.people.billingAlpha}`;
    expect(count?.n).toBe(1);
  });

  it('does not hold the request up while the write waits', async () => {
    clock += 120_000;
    await harness.db.admin.begin(async (tx) => {
      await tx`select id from principal_activity where principal_id = ${fx.people.staffAlpha} and organization_id = ${fx.alpha} for update`;
      // Authentication completes while its activity write is queued behind the lock held here.
      const auth = await authenticate(`Bearer ${tokenFor(fx.people.staffAlpha, fx.alpha)}`, request());
      expect(auth.principalId).toBe(fx.people.staffAlpha);
      await waitForLockWaiters(harness.db.admin, 1);
    });
    await tracker.settled();
  });

  it('never fails the request when the write fails, and says so in the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done(); } });
    const closed = postgres(harness.db.urls.api, { max: 1, onnotice: () => undefined });
    await closed.end();
    const broken = createActivityTracker({ sql: closed, log: createLogger('info', sink) });
    const viaBroken = createAuthenticator(harness.db.api, tokens, 'reject', broken);
    const auth = await viaBroken(`Bearer ${tokenFor(fx.people.adminAlpha, fx.alpha)}`, request());
    expect(auth.organizationId).toBe(fx.alpha);
    await broken.settled();
    expect(lines.join('')).toContain('last-seen not recorded');
  });
});

describe('GET /api/v1/activity', () => {
  it('shows a members.manage holder when each person was last seen in their clinic, and only there', async () => {
    await authenticate(`Bearer ${tokenFor(fx.people.adminBeta, fx.beta)}`, request());
    await authenticate(`Bearer ${tokenFor(fx.people.adminAlpha, fx.alpha)}`, request());
    await tracker.settled();
    const reply = await call(harness, 'GET', '/api/v1/activity', tokenFor(fx.people.adminAlpha, fx.alpha));
    expect(reply.status).toBe(200);
    const activity = reply.body.activity as { principalId: string; lastSeenAt: string }[];
    const seen = activity.map((row) => row.principalId);
    expect(seen).toEqual(expect.arrayContaining([fx.people.staffAlpha, fx.people.billingAlpha, fx.people.adminAlpha]));
    // Neither the other clinic's people nor activity outside any clinic.
    expect(seen).not.toContain(fx.people.adminBeta);
    expect(seen).not.toContain(fx.people.root);
    for (const row of activity) expect(Number.isNaN(Date.parse(row.lastSeenAt))).toBe(false);
  });

  it('refuses staff, another clinic\'s admin asking for nothing of alpha, and strangers', async () => {
    const staff = await call(harness, 'GET', '/api/v1/activity', tokenFor(fx.people.staffAlpha, fx.alpha));
    expect({ status: staff.status, code: staff.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    const beta = await call(harness, 'GET', '/api/v1/activity', tokenFor(fx.people.adminBeta, fx.beta));
    expect(beta.status).toBe(200);
    expect((beta.body.activity as { principalId: string }[]).map((row) => row.principalId)).toEqual([fx.people.adminBeta]);
    const anonymous = await call(harness, 'GET', '/api/v1/activity', null);
    expect(anonymous.status).toBe(401);
  });
});

describe('the database, beneath the server', () => {
  const as = (principalId: string, organizationId: string | null, membershipRole: AuthContext['membershipRole']): AuthContext =>
    ({ principalId, organizationId, membershipRole, platformRole: null });

  it('lets a request record only itself, in the organisation it acts in', async () => {
    const staff = as(fx.people.staffAlpha, fx.alpha, 'staff');
    await expect(asPrincipal(harness.db.api, staff, (tx) =>
      tx`insert into principal_activity (principal_id, organization_id) values (${fx.people.ownerAlpha}, ${fx.alpha})`)).rejects.toThrow(/row-level security/);
    await expect(asPrincipal(harness.db.api, staff, (tx) =>
      tx`insert into principal_activity (principal_id, organization_id) values (${fx.people.staffAlpha}, ${fx.beta})`)).rejects.toThrow(/row-level security/);
    const moved = await asPrincipal(harness.db.api, staff, (tx) =>
      tx`update principal_activity set last_seen_at = now() where principal_id = ${fx.people.billingAlpha} returning id`);
    expect(moved).toEqual([]);
  });

  it('shows staff their own rows only, and a clinic admin nothing of another clinic', async () => {
    const staffRows = await asPrincipal(harness.db.api, as(fx.people.staffAlpha, fx.alpha, 'staff'), (tx) =>
      tx<{ principal_id: string }[]>`select principal_id from principal_activity`);
    expect(new Set(staffRows.map((row) => row.principal_id))).toEqual(new Set([fx.people.staffAlpha]));
    const betaRows = await asPrincipal(harness.db.api, as(fx.people.adminBeta, fx.beta, 'admin'), (tx) =>
      tx<{ organization_id: string | null }[]>`select organization_id from principal_activity where principal_id <> ${fx.people.adminBeta}`);
    expect(betaRows).toEqual([]);
  });

  it('stamps the moment with the database clock, whatever the request sent', async () => {
    const admin = as(fx.people.adminAlpha, fx.alpha, 'admin');
    const [row] = await asPrincipal(harness.db.api, admin, (tx) =>
      tx<{ last_seen_at: Date }[]>`update principal_activity set last_seen_at = '2000-01-01' where principal_id = ${fx.people.adminAlpha}
        and organization_id = ${fx.alpha} returning last_seen_at`);
    expect(row?.last_seen_at.getUTCFullYear()).toBeGreaterThan(2000);
  });
});
