import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startKoaHarness, type KoaHarness } from '../../infra/test/koa-harness.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { call, seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import { appendAudit, type AuditEntry } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import { shareLinkRoutes } from '../invitations/router.ts';
import type { AuditEntryView, AuditPage } from './audit-entries.ts';
import { auditRoutes } from './router.ts';

/**
 * GET /api/v1/audit, the Clinic's audit-log viewer, from the attacker's side too: staff without
 * audit.read, the other clinic's admin probing for this clinic's entities, API keys, bad input.
 */

const fx = {} as Fixture;
let harness: KoaHarness;
const tokens = {} as Record<'adminAlpha' | 'ownerAlpha' | 'staffAlpha' | 'adminBeta', string>;
const entities = { location: randomUUID(), membership: randomUUID(), betaLocation: randomUUID() };

const context = (principalId: string, organizationId: string): AuthContext =>
  ({ principalId, organizationId, membershipRole: 'admin', platformRole: null });

async function write(auth: AuthContext, entry: Partial<AuditEntry> & Pick<AuditEntry, 'action' | 'entityType' | 'entityId'>): Promise<void> {
  await harness.db.api.begin(async (tx) => {
    await actAs(tx, auth);
    await appendAudit(tx, { requestId: `req-${randomUUID()}`, actorPrincipalId: auth.principalId, organizationId: auth.organizationId, writeId: null, changes: {}, ...entry });
  });
}

const audit = async (token: string, query: Record<string, string> = {}) => {
  const reply = await call(harness, 'GET', `/api/v1/audit?${new URLSearchParams(query).toString()}`, token);
  return { status: reply.status, code: reply.body.error?.code, page: reply.body as unknown as AuditPage };
};

beforeAll(async () => {
  harness = await startKoaHarness(inject('pgSuperuserUrl'), (sql: Sql) => seedTwoClinics(sql, fx), ({ sql, authenticate }) => [
    auditRoutes({ sql, authenticate }),
    shareLinkRoutes({ sql, authenticate, baseURL: 'https://restartix.example.test' }),
  ]);
  tokens.adminAlpha = harness.tokenFor(fx.people.adminAlpha, fx.alpha);
  tokens.ownerAlpha = harness.tokenFor(fx.people.ownerAlpha, fx.alpha);
  tokens.staffAlpha = harness.tokenFor(fx.people.staffAlpha, fx.alpha);
  tokens.adminBeta = harness.tokenFor(fx.people.adminBeta, fx.beta);
  const adminAlpha = context(fx.people.adminAlpha, fx.alpha);
  const ownerAlpha = context(fx.people.ownerAlpha, fx.alpha);
  await write(adminAlpha, { action: 'location.created', entityType: 'location', entityId: entities.location, changes: { name: 'Centru' } });
  await write(adminAlpha, { action: 'location.updated', entityType: 'location', entityId: entities.location, before: { name: 'Centru' }, after: { name: 'Nord' } });
  await write(ownerAlpha, { action: 'membership.role_changed', entityType: 'membership', entityId: entities.membership });
  await write(adminAlpha, { action: 'location.updated', entityType: 'location', entityId: entities.location, outcome: 'denied', errorCode: 'FORBIDDEN' });
  await write(context(fx.people.adminBeta, fx.beta), { action: 'location.created', entityType: 'location', entityId: entities.betaLocation });
});
afterAll(async () => { await harness.stop(); });

describe('GET /api/v1/audit', () => {
  it('lists the clinic\'s entries newest first, with who did what, the outcome and the redacted diff', async () => {
    const { status, page } = await audit(tokens.adminAlpha);
    expect(status).toBe(200);
    expect(page.entries.map((e) => [e.action, e.outcome])).toEqual([
      ['location.updated', 'denied'],
      ['membership.role_changed', 'success'],
      ['location.updated', 'success'],
      ['location.created', 'success'],
    ]);
    expect(page.nextCursor).toBeNull();
    const [denied, , updated] = page.entries as [AuditEntryView, AuditEntryView, AuditEntryView];
    expect(denied).toMatchObject({ errorCode: 'FORBIDDEN', actor: { id: fx.people.adminAlpha, name: 'admin' } });
    expect(updated.diff).toEqual({ before: { name: 'Centru' }, after: { name: 'Nord' } });
    expect(page.entries.map((e) => e.seq)).toEqual(['4', '3', '2', '1']);
  });

  it('filters by actor, entity, action, outcome and date range', async () => {
    const actions = async (query: Record<string, string>) => (await audit(tokens.adminAlpha, query)).page.entries.map((e) => e.action);
    expect(await actions({ actor: fx.people.ownerAlpha })).toEqual(['membership.role_changed']);
    expect(await actions({ entityType: 'location', entityId: entities.location })).toEqual(['location.updated', 'location.updated', 'location.created']);
    expect(await actions({ action: 'location.created' })).toEqual(['location.created']);
    expect(await actions({ outcome: 'denied' })).toEqual(['location.updated']);
    const hour = 3_600_000;
    expect(await actions({ from: new Date(Date.now() - hour).toISOString(), to: new Date(Date.now() + hour).toISOString() })).toHaveLength(4);
    expect(await actions({ from: new Date(Date.now() + hour).toISOString() })).toEqual([]);
    expect(await actions({ to: new Date(Date.now() - hour).toISOString() })).toEqual([]);
  });

  it('pages by the place in the clinic\'s chain, without gaps or repeats', async () => {
    const first = (await audit(tokens.adminAlpha, { limit: '3' })).page;
    expect(first.entries.map((e) => e.seq)).toEqual(['4', '3', '2']);
    expect(first.nextCursor).toBe('2');
    const second = (await audit(tokens.adminAlpha, { limit: '3', before: first.nextCursor ?? '' })).page;
    expect(second.entries.map((e) => e.seq)).toEqual(['1']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses members without audit.read, and people signed in nowhere', async () => {
    expect(await audit(tokens.staffAlpha)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await call(harness, 'GET', '/api/v1/audit', null)).status).toBe(401);
    expect((await call(harness, 'GET', '/api/v1/audit', harness.tokenFor(fx.people.root, null))).status).toBe(403);
  });

  it('shows another clinic\'s admin nothing of this clinic, even asked for this clinic\'s entity by id', async () => {
    const mine = await audit(tokens.adminBeta);
    expect(mine.page.entries.map((e) => e.entityId)).toEqual([entities.betaLocation]);
    const probe = await audit(tokens.adminBeta, { entityType: 'location', entityId: entities.location });
    expect(probe).toMatchObject({ status: 200, page: { entries: [], nextCursor: null } });
    expect((await audit(tokens.adminBeta, { actor: fx.people.adminAlpha })).page.entries).toEqual([]);
  });

  it('refuses API keys by their shape, and malformed filters by name', async () => {
    expect((await call(harness, 'GET', '/api/v1/audit', `rx_test_ab12cd34_${'x'.repeat(40)}`)).status).toBe(403);
    const bad = await call(harness, 'GET', '/api/v1/audit?actor=someone&limit=1000&action=location.burned', tokens.adminAlpha);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/actor/);
  });
});

describe('an entry written by a REST route', () => {
  it('carries the request id, the client\'s address and user agent', async () => {
    const response = await fetch(`${harness.origin}/api/v1/share-links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.adminAlpha}`, 'content-type': 'application/json', 'user-agent': 'AuditTest/1.0 (Linux)' },
      body: JSON.stringify({ label: 'Recepție' }),
    });
    expect(response.status).toBe(201);
    const { page } = await audit(tokens.adminAlpha, { action: 'share_link.created' });
    expect(page.entries).toHaveLength(1);
    expect(page.entries[0]).toMatchObject({ ip: '127.0.0.1', userAgent: 'AuditTest/1.0 (Linux)', outcome: 'success' });
    expect(page.entries[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GET /api/v1/audit/vocabulary', () => {
  it('offers the closed vocabulary to audit.read holders only', async () => {
    const reply = await call(harness, 'GET', '/api/v1/audit/vocabulary', tokens.adminAlpha);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ outcomes: ['success', 'denied', 'failed'] });
    expect(reply.body.actions).toEqual(expect.arrayContaining(['location.updated', 'share_link.created', 'platform_role.granted', 'mutation.unknown']));
    expect(reply.body.entityTypes).toEqual(expect.arrayContaining(['location', 'membership', 'invitation', 'mutator']));
    expect((await call(harness, 'GET', '/api/v1/audit/vocabulary', tokens.staffAlpha)).status).toBe(403);
  });
});
