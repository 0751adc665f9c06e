import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal } from '../../infra/test/database.ts';
import { waitForLockWaiters } from '../../infra/test/lock-waiters.ts';
import { linkIn, mailsTo, signUpForReal, type Mail } from '../../infra/test/real-people.ts';
import { startTestStack, type TestStack } from '../../infra/test/test-stack.ts';
import { seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import type { InvitationView } from './invitations.ts';
import { INVITATION_TOKEN_SETTING } from './accept-invitation.ts';
import { hashInvitationToken } from './secrets.ts';

/**
 * Invitations on the whole platform: real sign-up and email verification (better-auth), mail read
 * from the development mailbox, and the session switched to the new clinic. From the attacker's side:
 * expired, revoked, reused and superseded tokens, someone else's invitation, the other clinic's admin,
 * staff, an admin inviting an owner, API keys.
 */

const fx = {} as Fixture;
let stack: TestStack;
const tokens = {} as Record<'ownerAlpha' | 'adminAlpha' | 'staffAlpha' | 'specialistAlpha' | 'adminBeta', string>;

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), (sql) => seedTwoClinics(sql, fx));
  tokens.ownerAlpha = (await stack.login('owner@alpha.test', fx.alpha)).token;
  tokens.adminAlpha = (await stack.login('admin@alpha.test', fx.alpha)).token;
  tokens.staffAlpha = (await stack.login('staff@alpha.test', fx.alpha)).token;
  tokens.specialistAlpha = (await stack.login('specialist@alpha.test', fx.alpha)).token;
  tokens.adminBeta = (await stack.login('admin@beta.test', fx.beta)).token;
});
afterAll(async () => { await stack.stop(); });

type Reply = { status: number; body: Record<string, unknown> & { error?: { code: string; requestId: string } } };

async function api(method: string, path: string, token: string | null, body?: unknown): Promise<Reply> {
  const response = await fetch(`${stack.origin}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Reply['body']) };
}

const invite = (token: string, body: Record<string, unknown>) => api('POST', '/api/v1/invitations', token, body);
const accept = (token: string, invitationToken: string) => api('POST', '/api/v1/invitations/accept', token, { token: invitationToken });
const errorOf = (reply: Reply) => ({ status: reply.status, code: reply.body.error?.code });

/** The newest invitation mail to `email` and the token its link carries. */
async function invitationMail(email: string, count = 1): Promise<{ mail: Mail; link: URL; token: string }> {
  const mails = (await mailsTo(stack, email)).filter((mail) => mail.text.includes('/invitations/accept?token='));
  expect(mails).toHaveLength(count);
  // The mailbox lists the newest first.
  const mail = mails[0] as Mail;
  const link = linkIn(mail.text);
  return { mail, link, token: link.searchParams.get('token') ?? '' };
}

/** A person who signs up for real, verifies their address through the mailbox and signs in. */
const person = (email: string, name: string) => signUpForReal(stack, email, name);

/** Everything an invitation's acceptance would have written, for "nothing was written" checks. */
async function footprint(invitationId: string, email: string) {
  const [invitation] = await stack.admin<{ accepted_at: Date | null; accepted_by: string | null }[]>`
    select accepted_at, accepted_by from invitations where id = ${invitationId}`;
  const [memberships] = await stack.admin<{ n: number }[]>`
    select count(*)::int as n from memberships m join humans h on h.principal_id = m.principal_id where h.email = ${email}`;
  const [audits] = await stack.admin<{ n: number }[]>`
    select count(*)::int as n from audit_log where action in ('invitation.accepted', 'membership.created')
      and (entity_id = ${invitationId} or changes->>'invitationId' = ${invitationId})`;
  return { acceptedAt: invitation?.accepted_at ?? null, acceptedBy: invitation?.accepted_by ?? null, memberships: memberships?.n, audits: audits?.n };
}
const untouched = { acceptedAt: null, acceptedBy: null, memberships: 0, audits: 0 };

describe('a staff invitation, end to end', () => {
  it('mails a working link with the clinic\'s name; accepting makes the person a member with the invited role', async () => {
    const email = 'ioana.kineto@example.test';
    const created = await invite(tokens.adminAlpha, { kind: 'member', email: 'Ioana.Kineto@Example.test', role: 'specialist', name: 'Ioana Kineto' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.emailSent).toBe(true);
    const invitation = created.body.invitation as InvitationView;
    expect(invitation).toMatchObject({ organizationId: fx.alpha, kind: 'member', email, role: 'specialist', status: 'pending', sentCount: 1, createdBy: fx.people.adminAlpha });
    expect(JSON.stringify(created.body)).not.toMatch(/token/i);

    const { mail, link, token } = await invitationMail(email);
    expect(mail.subject).toContain('Alpha');
    expect(mail.text).toContain('Alpha');
    expect(mail.text).toContain('Bună ziua, Ioana Kineto,');
    expect(`${link.origin}${link.pathname}`).toBe(`${stack.origin}/clinic/invitations/accept`);
    expect(mail.html).toContain(`href="${link.toString().replace(/&/g, '&amp;')}"`);

    // The person signs up after receiving it, then follows the link.
    const ioana = await person(email, 'Ioana Kineto');
    const accepted = await accept(ioana.token, token);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.accepted).toMatchObject({ invitationId: invitation.id, kind: 'member', role: 'specialist', organization: { id: fx.alpha, name: 'Alpha' } });
    const [membership] = await stack.admin<{ role: string; id: string }[]>`
      select id, role from memberships where organization_id = ${fx.alpha} and principal_id = ${ioana.principalId}`;
    expect(membership?.role).toBe('specialist');
    expect((accepted.body.accepted as { membershipId: string }).membershipId).toBe(membership?.id);

    // Their session switches to the clinic; the next access token carries it, and the API sees the role.
    const switched = await ioana.client('/api/session/organization', { organizationId: fx.alpha });
    expect(switched.status).toBe(200);
    const session = await api('GET', '/api/session', await ioana.accessToken());
    expect(session.body.context).toMatchObject({ principalId: ioana.principalId, organizationId: fx.alpha, membershipRole: 'specialist' } satisfies Partial<AuthContext>);

    // Audited, each by its actor.
    const audit = await stack.admin<{ action: string; actor_principal_id: string; organization_id: string }[]>`
      select action, actor_principal_id, organization_id from audit_log
      where entity_id in (${invitation.id}, ${membership?.id ?? ''}) order by id`;
    expect(audit).toEqual([
      { action: 'invitation.created', actor_principal_id: fx.people.adminAlpha, organization_id: fx.alpha },
      { action: 'invitation.accepted', actor_principal_id: ioana.principalId, organization_id: fx.alpha },
      { action: 'membership.created', actor_principal_id: ioana.principalId, organization_id: fx.alpha },
    ]);

    // The token is nowhere in the database: the hash of the one issued is.
    for (const table of ['invitations', 'invitation_tokens', 'audit_log', 'notification_deliveries', 'memberships']) {
      const rows = await stack.admin.unsafe<{ row: string }[]>(`select t::text as row from ${table} t`);
      for (const { row } of rows) expect(row, table).not.toContain(token);
    }
    const [stored] = await stack.admin<{ token_hash: Buffer }[]>`select token_hash from invitation_tokens where invitation_id = ${invitation.id}`;
    expect(stored?.token_hash.equals(hashInvitationToken(token))).toBe(true);

    // Reused: refused, and nothing more is written.
    const before = await footprint(invitation.id, email);
    expect(errorOf(await accept(ioana.token, token))).toEqual({ status: 409, code: 'INVITATION_USED' });
    expect(await footprint(invitation.id, email)).toEqual(before);
    // An accepted invitation can neither be revoked nor resent.
    expect(errorOf(await api('DELETE', `/api/v1/invitations/${invitation.id}`, tokens.adminAlpha))).toEqual({ status: 409, code: 'INVITATION_USED' });
    expect(errorOf(await api('POST', `/api/v1/invitations/${invitation.id}/resend`, tokens.adminAlpha, {}))).toEqual({ status: 409, code: 'INVITATION_USED' });
  });

  it('lists the clinic\'s invitations with their status, and never a token or its hash', async () => {
    const reply = await api('GET', '/api/v1/invitations', tokens.adminAlpha);
    expect(reply.status).toBe(200);
    const listed = reply.body.invitations as InvitationView[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((entry) => entry.organizationId === fx.alpha)).toBe(true);
    const text = JSON.stringify(reply.body);
    expect(text).not.toMatch(/token|hash/i);
    const hashes = await stack.admin<{ hex: string; b64: string }[]>`
      select encode(token_hash, 'hex') as hex, encode(token_hash, 'base64') as b64 from invitation_tokens`;
    for (const { hex, b64 } of hashes) {
      expect(text).not.toContain(hex);
      expect(text).not.toContain(b64);
    }
  });
});

describe('tokens that no longer work', () => {
  it('an expired invitation is refused and nothing is written; resending renews it', async () => {
    const email = 'expirat@example.test';
    const id = ((await invite(tokens.adminAlpha, { kind: 'member', email, role: 'receptionist' })).body.invitation as InvitationView).id;
    const { token } = await invitationMail(email);
    const who = await person(email, 'Expirat');
    await stack.admin`update invitations set expires_at = now() - interval '1 minute' where id = ${id}`;
    expect(errorOf(await accept(who.token, token))).toEqual({ status: 410, code: 'INVITATION_EXPIRED' });
    expect(await footprint(id, email)).toEqual(untouched);
    const listed = ((await api('GET', '/api/v1/invitations', tokens.adminAlpha)).body.invitations as InvitationView[]).find((entry) => entry.id === id);
    expect(listed?.status).toBe('expired');
    // Inviting again is not the way: the open invitation is renewed.
    expect(errorOf(await invite(tokens.adminAlpha, { kind: 'member', email, role: 'receptionist' }))).toEqual({ status: 409, code: 'INVITATION_PENDING' });
    expect((await api('POST', `/api/v1/invitations/${id}/resend`, tokens.adminAlpha, { expiresInDays: 3 })).status).toBe(200);
    const renewed = await invitationMail(email, 2);
    expect(renewed.mail.text).toContain('3 zile');
    expect((await accept(who.token, renewed.token)).status).toBe(200);
  });

  it('a revoked invitation is refused and nothing is written; revocation is audited once', async () => {
    const email = 'retras@example.test';
    const id = ((await invite(tokens.adminAlpha, { kind: 'member', email, role: 'staff' })).body.invitation as InvitationView).id;
    const { token } = await invitationMail(email);
    const who = await person(email, 'Retras');
    expect((await api('DELETE', `/api/v1/invitations/${id}`, tokens.adminAlpha)).status).toBe(204);
    expect((await api('DELETE', `/api/v1/invitations/${id}`, tokens.ownerAlpha)).status).toBe(204);
    expect(errorOf(await accept(who.token, token))).toEqual({ status: 410, code: 'INVITATION_REVOKED' });
    expect(await footprint(id, email)).toEqual(untouched);
    const [audits] = await stack.admin<{ n: number }[]>`select count(*)::int as n from audit_log where entity_id = ${id} and action = 'invitation.revoked'`;
    expect(audits?.n).toBe(1);
    expect(errorOf(await api('POST', `/api/v1/invitations/${id}/resend`, tokens.adminAlpha, {}))).toEqual({ status: 410, code: 'INVITATION_REVOKED' });
  });

  it('a resent invitation supersedes the old link: refused with its own code, while the new link works', async () => {
    const email = 'retrimis@example.test';
    const id = ((await invite(tokens.adminAlpha, { kind: 'member', email, role: 'billing' })).body.invitation as InvitationView).id;
    const first = await invitationMail(email);
    const resent = await api('POST', `/api/v1/invitations/${id}/resend`, tokens.adminAlpha, {});
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ emailSent: true, invitation: { id, sentCount: 2, status: 'pending' } });
    const second = await invitationMail(email, 2);
    expect(second.token).not.toBe(first.token);
    const who = await person(email, 'Retrimis');
    expect(errorOf(await accept(who.token, first.token))).toEqual({ status: 410, code: 'INVITATION_SUPERSEDED' });
    expect(await footprint(id, email)).toEqual(untouched);
    expect((await accept(who.token, second.token)).body.accepted).toMatchObject({ role: 'billing' });
    const [audits] = await stack.admin<{ n: number }[]>`select count(*)::int as n from audit_log where entity_id = ${id} and action = 'invitation.resent'`;
    expect(audits?.n).toBe(1);
  });

  it('a token nobody issued is not found, and something that is not a token is invalid', async () => {
    const who = await person('curios@example.test', 'Curios');
    expect(errorOf(await accept(who.token, 'A'.repeat(43)))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await accept(who.token, 'short'))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(errorOf(await accept('not-a-token', 'A'.repeat(43)))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });
});

describe("someone else's invitation", () => {
  it('is refused to another signed-in person (403, their address is not the invited one) and writes nothing', async () => {
    const email = 'invitata@example.test';
    const id = ((await invite(tokens.adminAlpha, { kind: 'member', email, role: 'admin' })).body.invitation as InvitationView).id;
    const { token } = await invitationMail(email);
    const intruder = await person('intrus@example.test', 'Intrus');
    const refused = await accept(intruder.token, token);
    expect(errorOf(refused)).toEqual({ status: 403, code: 'INVITATION_WRONG_ACCOUNT' });
    expect(JSON.stringify(refused.body)).not.toContain(email);
    expect(JSON.stringify(refused.body)).not.toContain('Alpha');
    // A member of another clinic, and someone known only to the development login (no verified address), alike.
    expect(errorOf(await accept(tokens.adminBeta, token))).toEqual({ status: 403, code: 'INVITATION_WRONG_ACCOUNT' });
    expect(errorOf(await accept(tokens.staffAlpha, token))).toEqual({ status: 403, code: 'INVITATION_WRONG_ACCOUNT' });
    expect(await footprint(id, email)).toEqual(untouched);
    expect(await footprint(id, 'intrus@example.test')).toEqual(untouched);
  });

  it('cannot be turned into a membership by writing one directly, even by its invitee: RLS wants the accepted invitation', async () => {
    const stranger = await person('strain@example.test', 'Străin');
    const auth: AuthContext = { principalId: stranger.principalId, organizationId: null, membershipRole: null, platformRole: null };
    await expect(asPrincipal(stack.api, auth, (tx) =>
      tx`insert into memberships (organization_id, principal_id, role) values (${fx.alpha}, ${stranger.principalId}, 'owner')`)).rejects.toThrow(/row-level security/);
  });
});

describe('accepting at the same moment', () => {
  it('twice with the same link: one membership, the other refused as used', async () => {
    const email = 'grabit@example.test';
    const id = ((await invite(tokens.adminAlpha, { kind: 'member', email, role: 'receptionist' })).body.invitation as InvitationView).id;
    const { token } = await invitationMail(email);
    const who = await person(email, 'Grăbit');
    // Hold the invitation's row so that both accepts are inside their transactions, queued on it.
    const { racing } = await stack.admin.begin(async (tx) => {
      await tx`select id from invitations where id = ${id} for update`;
      const both = Promise.all([accept(who.token, token), accept(who.token, token)]);
      await waitForLockWaiters(stack.admin, 2);
      return { racing: both };
    });
    const outcomes = (await racing).map((reply) => (reply.status === 200 ? 'accepted' : reply.body.error?.code)).sort();
    expect(outcomes).toEqual(['INVITATION_USED', 'accepted']);
    expect(await footprint(id, email)).toMatchObject({ acceptedBy: who.principalId, memberships: 1, audits: 2 });
  });
});

describe('the database, beneath the server', () => {
  it('lets only the invited person, presenting the token, accept; and never once expired', async () => {
    const email = 'podea@example.test';
    const id = ((await invite(tokens.adminAlpha, { kind: 'patient', email })).body.invitation as InvitationView).id;
    const { token } = await invitationMail(email);
    const invitee = await person(email, 'Podea');
    const other = await person('alta.podea@example.test', 'Altă Podea');
    const as = (principalId: string): AuthContext => ({ principalId, organizationId: null, membershipRole: null, platformRole: null });
    const presenting = (principalId: string, work: (tx: Parameters<Parameters<typeof asPrincipal>[2]>[0]) => Promise<unknown>) =>
      asPrincipal(stack.api, as(principalId), async (tx) => {
        await tx`select set_config(${INVITATION_TOKEN_SETTING}, ${hashInvitationToken(token).toString('hex')}, true)`;
        return work(tx);
      });
    // Without the token, even the invitee sees nothing; with it, someone else sees it but cannot accept it.
    expect(await asPrincipal(stack.api, as(invitee.principalId), (tx) => tx`select id from invitations`)).toEqual([]);
    expect(await presenting(other.principalId, (tx) => tx`select id from invitations`)).toEqual([{ id }]);
    expect(await presenting(other.principalId, (tx) => tx`update invitations set accepted_at = now(), accepted_by = ${other.principalId} where id = ${id} returning id`)).toEqual([]);
    await expect(presenting(invitee.principalId, (tx) => tx`update invitations set accepted_at = now(), accepted_by = ${other.principalId} where id = ${id}`)).rejects.toThrow(/row-level security/);
    // Expired: the trigger refuses whatever the caller believed.
    await stack.admin`update invitations set expires_at = now() - interval '1 second' where id = ${id}`;
    await expect(presenting(invitee.principalId, (tx) => tx`update invitations set accepted_at = now(), accepted_by = ${invitee.principalId} where id = ${id}`))
      .rejects.toMatchObject({ constraint_name: 'invitations_accept_before_expiry' });
    // Whom, where and as what never change; acceptance and revocation are final.
    await expect(stack.admin`update invitations set email = 'altcineva@example.test' where id = ${id}`).rejects.toMatchObject({ constraint_name: 'invitations_identity_is_fixed' });
    await stack.admin`update invitations set revoked_at = now() where id = ${id}`;
    await expect(stack.admin`update invitations set revoked_at = null where id = ${id}`).rejects.toMatchObject({ constraint_name: 'invitations_closed_is_final' });
  });
});

describe('who may invite', () => {
  it('staff and a specialist (no members.manage) cannot invite, list, resend or revoke', async () => {
    const id = ((await invite(tokens.adminAlpha, { kind: 'patient', email: 'pacient.tinta@example.test' })).body.invitation as InvitationView).id;
    for (const token of [tokens.staffAlpha, tokens.specialistAlpha]) {
      for (const reply of [
        await invite(token, { kind: 'member', email: 'nou@example.test', role: 'staff' }),
        await api('GET', '/api/v1/invitations', token),
        await api('POST', `/api/v1/invitations/${id}/resend`, token, {}),
        await api('DELETE', `/api/v1/invitations/${id}`, token),
      ]) expect(errorOf(reply)).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    expect((await stack.admin`select 1 from invitations where email = 'nou@example.test'`).length).toBe(0);
    // Each refused write is on record, by route pattern (never the path, which may carry a token); the list (a read) is not.
    const refused = await stack.admin<{ entity_id: string; outcome: string; error_code: string }[]>`
      select a.entity_id, a.outcome, a.error_code from audit_log a join humans h on h.principal_id = a.actor_principal_id
      where a.action = 'api.refused' and h.email = 'staff@alpha.test' order by a.chain_seq`;
    expect(refused).toEqual(expect.arrayContaining([
      { entity_id: 'POST /api/v1/invitations', outcome: 'denied', error_code: 'FORBIDDEN' },
      { entity_id: 'POST /api/v1/invitations/:id/resend', outcome: 'denied', error_code: 'FORBIDDEN' },
      { entity_id: 'DELETE /api/v1/invitations/:id', outcome: 'denied', error_code: 'FORBIDDEN' },
    ]));
    expect(refused.filter((entry) => entry.entity_id.startsWith('GET '))).toEqual([]);
  });

  it('an admin cannot invite an owner, nor renew an owner\'s invitation; an owner can', async () => {
    expect(errorOf(await invite(tokens.adminAlpha, { kind: 'member', email: 'coproprietar@example.test', role: 'owner' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await stack.admin`select 1 from invitations where email = 'coproprietar@example.test'`).length).toBe(0);
    const byOwner = await invite(tokens.ownerAlpha, { kind: 'member', email: 'coproprietar@example.test', role: 'owner' });
    expect(byOwner.status).toBe(201);
    const id = (byOwner.body.invitation as InvitationView).id;
    expect(errorOf(await api('POST', `/api/v1/invitations/${id}/resend`, tokens.adminAlpha, {}))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await api('POST', `/api/v1/invitations/${id}/resend`, tokens.ownerAlpha, {})).status).toBe(200);
  });

  it("the other clinic's admin lists none of this clinic's invitations and gets 404 for them, as for ids that do not exist", async () => {
    const id = ((await invite(tokens.adminAlpha, { kind: 'member', email: 'tinta@example.test', role: 'staff' })).body.invitation as InvitationView).id;
    const listed = (await api('GET', '/api/v1/invitations', tokens.adminBeta)).body.invitations as InvitationView[];
    expect(listed.filter((entry) => entry.organizationId !== fx.beta)).toEqual([]);
    for (const [method, path] of [['DELETE', ''], ['POST', '/resend']] as const) {
      const foreign = await api(method, `/api/v1/invitations/${id}${path}`, tokens.adminBeta, method === 'POST' ? {} : undefined);
      const missing = await api(method, `/api/v1/invitations/${randomUUID()}${path}`, tokens.adminBeta, method === 'POST' ? {} : undefined);
      expect(foreign.status).toBe(404);
      expect({ ...foreign.body.error, requestId: null }).toEqual({ ...missing.body.error, requestId: null });
    }
    const [row] = await stack.admin<{ revoked_at: Date | null; sent_count: number }[]>`select revoked_at, sent_count from invitations where id = ${id}`;
    expect(row).toEqual({ revoked_at: null, sent_count: 1 });
  });

  it('an API key, whatever it holds, is refused', async () => {
    const account = await api('POST', '/api/v1/service-accounts', tokens.adminAlpha, { name: 'Integrare' });
    const key = await api('POST', `/api/v1/service-accounts/${(account.body.serviceAccount as { id: string }).id}/api-keys`, tokens.adminAlpha,
      { name: 'Toate', permissions: ['locations.read', 'locations.manage', 'members.read'] });
    const apiKey = (key.body.apiKey as { key: string }).key;
    for (const reply of [
      await invite(apiKey, { kind: 'member', email: 'prin-cheie@example.test', role: 'staff' }),
      await api('GET', '/api/v1/invitations', apiKey),
      await accept(apiKey, 'A'.repeat(43)),
    ]) expect(errorOf(reply)).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('refuses to invite someone who is already a member, and a second open invitation to the same address', async () => {
    expect(errorOf(await invite(tokens.adminAlpha, { kind: 'member', email: 'staff@alpha.test', role: 'admin' }))).toEqual({ status: 409, code: 'ALREADY_MEMBER' });
    expect((await invite(tokens.adminAlpha, { kind: 'member', email: 'dublu@example.test', role: 'staff' })).status).toBe(201);
    const again = await invite(tokens.ownerAlpha, { kind: 'member', email: 'dublu@example.test', role: 'admin' });
    expect(errorOf(again)).toEqual({ status: 409, code: 'INVITATION_PENDING' });
    // The other clinic may invite the same address: one open invitation per clinic.
    expect((await invite(tokens.adminBeta, { kind: 'member', email: 'dublu@example.test', role: 'staff' })).status).toBe(201);
  });
});

describe('a patient invitation', () => {
  it('mails a Portal link; accepting makes the person the clinic\'s patient, never a member', async () => {
    const email = 'pacient.invitat@example.test';
    const created = await invite(tokens.adminAlpha, { kind: 'patient', email, name: 'Pacient Invitat', locale: 'en' });
    expect(created.status).toBe(201);
    expect(created.body.invitation).toMatchObject({ kind: 'patient', role: null, locale: 'en' });
    const { mail, link, token } = await invitationMail(email);
    expect(mail.subject).toBe('Your invitation to the Alpha patient portal');
    expect(`${link.origin}${link.pathname}`).toBe(`${stack.origin}/portal/invitations/accept`);
    const patient = await person(email, 'Pacient Invitat');
    const accepted = await accept(patient.token, token);
    expect(accepted.status).toBe(200);
    expect(accepted.body.accepted).toEqual({
      invitationId: (created.body.invitation as InvitationView).id,
      kind: 'patient',
      role: null,
      membershipId: null,
      patientId: (accepted.body.accepted as { patientId: string }).patientId,
      organization: { id: fx.alpha, name: 'Alpha' },
    });
    // A patient record of Alpha about this person, not yet showing Alpha their profile (onboarding does).
    const records = await stack.admin<{ id: string; organization_id: string; profile_shared_at: Date | null }[]>`
      select id, organization_id, profile_shared_at from patients where principal_id = ${patient.principalId}`;
    expect(records).toEqual([{ id: (accepted.body.accepted as { patientId: string }).patientId, organization_id: fx.alpha, profile_shared_at: null }]);
    const [memberships] = await stack.admin<{ n: number }[]>`select count(*)::int as n from memberships where principal_id = ${patient.principalId}`;
    expect(memberships?.n).toBe(0);
    expect(errorOf(await accept(patient.token, token))).toEqual({ status: 409, code: 'INVITATION_USED' });
  });

  it('and a patient can join by a share-link code too, on the running platform', async () => {
    const created = await api('POST', '/api/v1/share-links', tokens.adminAlpha, { label: 'Afiș recepție', maxUses: 100 });
    expect(created.status).toBe(201);
    const { code, joinUrl } = created.body.shareLink as { code: string; joinUrl: string };
    expect(joinUrl).toBe(`${stack.origin}/portal/join?code=${code.replace('-', '')}`);
    const patient = await person('pacient.afis@example.test', 'Pacient Afiș');
    const joined = await api('POST', '/api/v1/share-links/join', patient.token, { code });
    expect(joined.status).toBe(200);
    expect(joined.body.joined).toMatchObject({ organization: { id: fx.alpha, name: 'Alpha' }, alreadyJoined: false });
  });
});
