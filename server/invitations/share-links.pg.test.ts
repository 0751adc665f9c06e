import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal } from '../../infra/test/database.ts';
import { startKoaHarness, type KoaHarness } from '../../infra/test/koa-harness.ts';
import { waitForLockWaiters } from '../../infra/test/lock-waiters.ts';
import { createHuman } from '../../seeds/factories.ts';
import { createCallerAuthenticator } from '../api-v1/authenticate-caller.ts';
import { apiV1Routes } from '../api-v1/router.ts';
import { call, seedTwoClinics, type Fixture, type Reply } from '../api-v1/test-fixture.ts';
import { SHARE_LINK_CODE_SETTING } from './join-share-link.ts';
import { drawnModules, expectedModules } from './qr-svg.ts';
import { shareLinkRoutes } from './router.ts';
import { normaliseShareCode } from './secrets.ts';
import type { ShareLinkView } from './share-links.ts';

/**
 * Patient share-links over /api/v1 from the attacker's side: staff and the other clinic's admin
 * managing them, API keys, and codes that are revoked, expired, used up, or raced for the last place.
 */

const BASE_URL = 'https://restartix.example.test';
const fx = {} as Fixture;
const patients = {} as Record<'ana' | 'bogdan' | 'carmen' | 'dan' | 'elena', string>;
let harness: KoaHarness;
const tokens = {} as Record<'adminAlpha' | 'staffAlpha' | 'specialistAlpha' | 'adminBeta' | 'root' | keyof typeof patients, string>;
let apiKey = '';

async function seed(sql: Sql): Promise<void> {
  await seedTwoClinics(sql, fx);
  for (const name of ['ana', 'bogdan', 'carmen', 'dan', 'elena'] as const) {
    patients[name] = await createHuman(sql, { email: `${name}@patient.test`, name });
  }
}

const create = (token: string, body: Record<string, unknown> = { label: 'Poster recepție' }) => call(harness, 'POST', '/api/v1/share-links', token, body);
const list = (token: string) => call(harness, 'GET', '/api/v1/share-links', token);
const revoke = (token: string, id: string) => call(harness, 'DELETE', `/api/v1/share-links/${id}`, token);
const join = (token: string, code: string) => call(harness, 'POST', '/api/v1/share-links/join', token, { code });
const qr = (token: string, id: string) => fetch(`${harness.origin}/api/v1/share-links/${id}/qr.svg`, { headers: { authorization: `Bearer ${token}` } });

async function newLink(body: Record<string, unknown> = { label: 'Poster recepție' }): Promise<ShareLinkView> {
  const reply = await create(tokens.adminAlpha, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.shareLink as ShareLinkView;
}

/** What the database holds for a link: its count, its joins, its audit rows. */
async function written(linkId: string) {
  const [link] = await harness.db.admin<{ uses: number }[]>`select uses from share_links where id = ${linkId}`;
  const [joins] = await harness.db.admin<{ n: number }[]>`select count(*)::int as n from share_link_joins where share_link_id = ${linkId}`;
  const [audits] = await harness.db.admin<{ n: number }[]>`select count(*)::int as n from audit_log where entity_id = ${linkId} and action = 'share_link.joined'`;
  return { uses: link?.uses, joins: joins?.n, audits: audits?.n };
}

const errorOf = (reply: Reply) => ({ status: reply.status, code: reply.body.error?.code });

beforeAll(async () => {
  harness = await startKoaHarness(inject('pgSuperuserUrl'), seed, ({ sql, authenticate }) => [
    shareLinkRoutes({ sql, authenticate, baseURL: BASE_URL }),
    apiV1Routes({ sql, authenticateCaller: createCallerAuthenticator(sql, authenticate), keyEnvironment: 'test' }),
  ]);
  tokens.adminAlpha = harness.tokenFor(fx.people.adminAlpha, fx.alpha);
  tokens.staffAlpha = harness.tokenFor(fx.people.staffAlpha, fx.alpha);
  tokens.specialistAlpha = harness.tokenFor(fx.people.specialistAlpha, fx.alpha);
  tokens.adminBeta = harness.tokenFor(fx.people.adminBeta, fx.beta);
  tokens.root = harness.tokenFor(fx.people.root, null);
  for (const name of Object.keys(patients) as (keyof typeof patients)[]) tokens[name] = harness.tokenFor(patients[name], null);
  const account = await call(harness, 'POST', '/api/v1/service-accounts', tokens.adminAlpha, { name: 'Everything' });
  const key = await call(harness, 'POST', `/api/v1/service-accounts/${(account.body.serviceAccount as { id: string }).id}/api-keys`, tokens.adminAlpha,
    { name: 'All', permissions: ['locations.read', 'locations.manage', 'members.read'] });
  apiKey = (key.body.apiKey as { key: string }).key;
});
afterAll(async () => { await harness.stop(); });

describe('an owner or admin', () => {
  it('creates a share-link with a typable code and a join URL, audited without the code', async () => {
    const link = await newLink({ label: 'Poster Floreasca', maxUses: 50 });
    expect(link).toMatchObject({ organizationId: fx.alpha, label: 'Poster Floreasca', maxUses: 50, uses: 0, status: 'active', createdBy: fx.people.adminAlpha, revokedAt: null });
    expect(link.code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    const code = normaliseShareCode(link.code) ?? '';
    expect(link.joinUrl).toBe(`${BASE_URL}/portal/join?code=${code}`);
    // Ninety days unless said otherwise.
    expect(new Date(link.expiresAt).getTime() - Date.now()).toBeGreaterThan(89 * 24 * 3600 * 1000);
    const [audit] = await harness.db.admin<{ actor_principal_id: string; organization_id: string; changes: unknown }[]>`
      select actor_principal_id, organization_id, changes from audit_log where entity_id = ${link.id} and action = 'share_link.created'`;
    expect(audit).toMatchObject({ actor_principal_id: fx.people.adminAlpha, organization_id: fx.alpha });
    expect(JSON.stringify(audit?.changes)).not.toContain(code);
  });

  it('lists its own clinic\'s links with their codes, uses and status', async () => {
    const link = await newLink({ label: 'Birou recepție' });
    const reply = await list(tokens.adminAlpha);
    expect(reply.status).toBe(200);
    const listed = (reply.body.shareLinks as ShareLinkView[]).find((entry) => entry.id === link.id);
    expect(listed).toEqual(link);
  });

  it('refuses an expiry in the past or beyond a year, and a maximum below one', async () => {
    for (const body of [
      { label: 'x', expiresAt: new Date(Date.now() - 1000).toISOString() },
      { label: 'x', expiresAt: new Date(Date.now() + 400 * 24 * 3600 * 1000).toISOString() },
      { label: 'x', maxUses: 0 },
      { label: '' },
    ]) expect(errorOf(await create(tokens.adminAlpha, body)), JSON.stringify(body)).toEqual({ status: 400, code: 'INVALID_INPUT' });
  });

  it('gets a printable SVG QR code of the join URL, again and again (a poster can be reprinted)', async () => {
    const link = await newLink({ label: 'Poster intrare' });
    const first = await qr(tokens.adminAlpha, link.id);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    const svg = await first.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).not.toMatch(/<script|on\w+=/i);
    // The symbol is exactly the QR code of the join URL (what a phone's camera reads), and the code is printed beneath.
    expect(drawnModules(svg)).toEqual(expectedModules(link.joinUrl));
    expect(svg).toContain(`>${link.code}</text>`);
    expect(await (await qr(tokens.adminAlpha, link.id)).text()).toBe(svg);
  });

  it('revokes a link for good, once audited; its code stops working and its poster is not printed', async () => {
    const link = await newLink();
    expect((await revoke(tokens.adminAlpha, link.id)).status).toBe(204);
    expect((await revoke(tokens.adminAlpha, link.id)).status).toBe(204);
    const [audits] = await harness.db.admin<{ n: number }[]>`select count(*)::int as n from audit_log where entity_id = ${link.id} and action = 'share_link.revoked'`;
    expect(audits?.n).toBe(1);
    expect(errorOf(await join(tokens.ana, link.code))).toEqual({ status: 410, code: 'SHARE_LINK_REVOKED' });
    expect(await written(link.id)).toEqual({ uses: 0, joins: 0, audits: 0 });
    expect(errorOf(await call(harness, 'GET', `/api/v1/share-links/${link.id}/qr.svg`, tokens.adminAlpha))).toEqual({ status: 410, code: 'SHARE_LINK_REVOKED' });
  });
});

describe('people who may not manage share-links', () => {
  it('staff, a specialist and a platform operator outside the clinic are refused everything', async () => {
    const link = await newLink();
    for (const token of [tokens.staffAlpha, tokens.specialistAlpha, tokens.root]) {
      for (const reply of [await create(token), await list(token), await revoke(token, link.id), await call(harness, 'GET', `/api/v1/share-links/${link.id}/qr.svg`, token)]) {
        expect(errorOf(reply)).toEqual({ status: 403, code: 'FORBIDDEN' });
      }
    }
    expect((await harness.db.admin`select revoked_at from share_links where id = ${link.id}`)[0]?.revoked_at).toBeNull();
  });

  it('an API key, whatever it holds, can neither manage share-links nor join', async () => {
    const link = await newLink();
    for (const reply of [await create(apiKey), await list(apiKey), await revoke(apiKey, link.id), await join(apiKey, link.code)]) {
      expect(errorOf(reply)).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    expect(await written(link.id)).toEqual({ uses: 0, joins: 0, audits: 0 });
  });

  it("the other clinic's admin lists none of this clinic's links and gets 404 for them, as for ids that do not exist", async () => {
    const link = await newLink();
    const listed = (await list(tokens.adminBeta)).body.shareLinks as ShareLinkView[];
    expect(listed.filter((entry) => entry.organizationId === fx.alpha)).toEqual([]);
    const pairs = [
      [await revoke(tokens.adminBeta, link.id), await revoke(tokens.adminBeta, randomUUID())],
      [await call(harness, 'GET', `/api/v1/share-links/${link.id}/qr.svg`, tokens.adminBeta), await call(harness, 'GET', `/api/v1/share-links/${randomUUID()}/qr.svg`, tokens.adminBeta)],
    ];
    for (const [foreign, missing] of pairs) {
      expect(foreign?.status).toBe(404);
      expect({ ...foreign?.body.error, requestId: null }).toEqual({ ...missing?.body.error, requestId: null });
    }
    expect((await harness.db.admin`select revoked_at from share_links where id = ${link.id}`)[0]?.revoked_at).toBeNull();
  });
});

describe('joining by code', () => {
  it('records who joined, counts one use and answers with the clinic, however the code is typed', async () => {
    const link = await newLink({ label: 'Recepție', maxUses: 10 });
    const typed = ` ${link.code.toLowerCase().replace('-', ' ')} `;
    const reply = await join(tokens.bogdan, typed);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.joined).toMatchObject({ organization: { id: fx.alpha, name: 'Alpha' }, alreadyJoined: false });
    expect(await written(link.id)).toEqual({ uses: 1, joins: 1, audits: 1 });
    const [row] = await harness.db.admin<{ principal_id: string; organization_id: string }[]>`select principal_id, organization_id from share_link_joins where share_link_id = ${link.id}`;
    expect(row).toEqual({ principal_id: patients.bogdan, organization_id: fx.alpha });
    // The same person again: told so, counted once.
    const again = await join(tokens.bogdan, link.code);
    expect(again.body.joined).toMatchObject({ alreadyJoined: true, organization: { name: 'Alpha' } });
    expect(await written(link.id)).toEqual({ uses: 1, joins: 1, audits: 1 });
  });

  it('answers 404 for a code nobody issued and 400 for something that cannot be a code', async () => {
    expect(errorOf(await join(tokens.ana, 'ZZZZ-ZZZZ'))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await join(tokens.ana, 'not a code'))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(errorOf(await join('test.nobody', 'ZZZZ-ZZZZ'))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('refuses an expired code and writes nothing', async () => {
    const link = await newLink();
    await harness.db.admin`update share_links set expires_at = now() - interval '1 minute' where id = ${link.id}`;
    expect(errorOf(await join(tokens.ana, link.code))).toEqual({ status: 410, code: 'SHARE_LINK_EXPIRED' });
    expect(await written(link.id)).toEqual({ uses: 0, joins: 0, audits: 0 });
  });

  it('refuses a code past its maximum uses and writes nothing', async () => {
    const link = await newLink({ label: 'Un singur pacient', maxUses: 1 });
    expect((await join(tokens.carmen, link.code)).status).toBe(200);
    expect(errorOf(await join(tokens.dan, link.code))).toEqual({ status: 409, code: 'SHARE_LINK_EXHAUSTED' });
    expect(await written(link.id)).toEqual({ uses: 1, joins: 1, audits: 1 });
    expect((await list(tokens.adminAlpha)).body.shareLinks).toEqual(expect.arrayContaining([expect.objectContaining({ id: link.id, status: 'exhausted' })]));
  });

  it('gives the last place to exactly one of two people joining at the same moment', async () => {
    const link = await newLink({ label: 'Ultimul loc', maxUses: 2 });
    expect((await join(tokens.ana, link.code)).status).toBe(200);
    // Hold the link's row so that both joins are inside their transactions, waiting, when it is
    // released; the commit at the end of this block releases it and both go for the last place.
    const { racing } = await harness.db.admin.begin(async (tx) => {
      await tx`select id from share_links where id = ${link.id} for update`;
      const both = Promise.all([join(tokens.dan, link.code), join(tokens.elena, link.code)]);
      await waitForLockWaiters(harness.db.admin, 2);
      return { racing: both };
    });
    const replies = await racing;
    const outcomes = replies.map(errorOf).map((outcome) => (outcome.status === 200 ? 'joined' : outcome.code)).sort();
    expect(outcomes).toEqual(['SHARE_LINK_EXHAUSTED', 'joined']);
    expect(await written(link.id)).toEqual({ uses: 2, joins: 2, audits: 2 });
  });
});

describe('the database, beneath the server', () => {
  it('never counts past the maximum, nor on a revoked or expired link, nor by more than one', async () => {
    const link = await newLink({ label: 'Plafon', maxUses: 1 });
    await expect(harness.db.admin`update share_links set uses = 2 where id = ${link.id}`).rejects.toMatchObject({ constraint_name: 'share_links_uses_step' });
    await harness.db.admin`update share_links set uses = 1 where id = ${link.id}`;
    await expect(harness.db.admin`update share_links set uses = 2 where id = ${link.id}`).rejects.toMatchObject({ constraint_name: 'share_links_uses_within_max' });
    const revoked = await newLink({ label: 'Retras' });
    await harness.db.admin`update share_links set revoked_at = now() where id = ${revoked.id}`;
    await expect(harness.db.admin`update share_links set uses = 1 where id = ${revoked.id}`).rejects.toMatchObject({ constraint_name: 'share_links_join_while_live' });
    await expect(harness.db.admin`update share_links set revoked_at = null where id = ${revoked.id}`).rejects.toMatchObject({ constraint_name: 'share_links_revocation_is_final' });
    const expired = await newLink({ label: 'Expirat' });
    await harness.db.admin`update share_links set expires_at = now() - interval '1 second' where id = ${expired.id}`;
    await expect(harness.db.admin`update share_links set uses = 1 where id = ${expired.id}`).rejects.toMatchObject({ constraint_name: 'share_links_join_while_live' });
  });

  it('shows a person who is not a manager no link, unless they present its code, and then only that one', async () => {
    const link = await newLink({ label: 'Vizibil cu cod' });
    const other = await newLink({ label: 'Alt cod' });
    const patient = { principalId: patients.ana, organizationId: null, membershipRole: null, platformRole: null };
    expect(await asPrincipal(harness.db.api, patient, (tx) => tx`select id from share_links`)).toEqual([]);
    const seen = await asPrincipal(harness.db.api, patient, async (tx) => {
      await tx`select set_config(${SHARE_LINK_CODE_SETTING}, ${normaliseShareCode(link.code) ?? ''}, true)`;
      return tx<{ id: string }[]>`select id from share_links`;
    });
    expect(seen.map((row) => row.id)).toEqual([link.id]);
    expect(seen.map((row) => row.id)).not.toContain(other.id);
    // Nor can they record a join for someone else, even with the code.
    await expect(asPrincipal(harness.db.api, patient, async (tx) => {
      await tx`select set_config(${SHARE_LINK_CODE_SETTING}, ${normaliseShareCode(link.code) ?? ''}, true)`;
      await tx`insert into share_link_joins (share_link_id, organization_id, principal_id) values (${link.id}, ${fx.alpha}, ${patients.bogdan})`;
    })).rejects.toThrow(/row-level security/);
  });
});
