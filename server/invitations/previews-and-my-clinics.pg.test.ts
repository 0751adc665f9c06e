import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal } from '../../infra/test/database.ts';
import { linkIn, mailsTo, signUpForReal, type RealPerson } from '../../infra/test/real-people.ts';
import { startTestStack, type TestStack } from '../../infra/test/test-stack.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import type { InvitationView } from './invitations.ts';
import type { MyClinic } from './my-clinics.ts';
import type { ShareLinkView } from './share-links.ts';

/**
 * What the accept and join pages show before the person says yes (POST /api/v1/invitations/preview,
 * POST /api/v1/share-links/preview), and the Portal's list of the clinics a person joined
 * (GET /api/v1/me/clinics), on the whole platform with real sign-ups. From the attacker's side:
 * someone else's invitation, dead links, API keys, and another person's clinics.
 */

const fx = {} as Fixture;
let stack: TestStack;
const tokens = {} as Record<'ownerAlpha' | 'adminAlpha' | 'staffAlpha' | 'adminBeta', string>;
let apiKey = '';

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), (sql) => seedTwoClinics(sql, fx));
  tokens.ownerAlpha = (await stack.login('owner@alpha.test', fx.alpha)).token;
  tokens.adminAlpha = (await stack.login('admin@alpha.test', fx.alpha)).token;
  tokens.staffAlpha = (await stack.login('staff@alpha.test', fx.alpha)).token;
  tokens.adminBeta = (await stack.login('admin@beta.test', fx.beta)).token;
  const account = await api('POST', '/api/v1/service-accounts', tokens.adminAlpha, { name: 'Integrare' });
  const key = await api('POST', `/api/v1/service-accounts/${(account.body.serviceAccount as { id: string }).id}/api-keys`, tokens.adminAlpha,
    { name: 'Toate', permissions: ['locations.read', 'locations.manage', 'members.read'] });
  apiKey = (key.body.apiKey as { key: string }).key;
});
afterAll(async () => { await stack.stop(); });

type Reply = { status: number; body: Record<string, unknown> & { error?: { code: string } } };

async function api(method: string, path: string, token: string | null, body?: unknown): Promise<Reply> {
  const response = await fetch(`${stack.origin}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Reply['body']) };
}

const errorOf = (reply: Reply) => ({ status: reply.status, code: reply.body.error?.code });
const previewInvitation = (token: string, invitationToken: string) => api('POST', '/api/v1/invitations/preview', token, { token: invitationToken });
const acceptInvitation = (token: string, invitationToken: string) => api('POST', '/api/v1/invitations/accept', token, { token: invitationToken });
const previewCode = (token: string, code: string) => api('POST', '/api/v1/share-links/preview', token, { code });
const joinCode = (token: string, code: string) => api('POST', '/api/v1/share-links/join', token, { code });
const myClinics = async (token: string) => {
  const reply = await api('GET', '/api/v1/me/clinics', token);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.clinics as MyClinic[];
};

/** Invites `body.email` to the inviter's clinic and returns the invitation and the token its newest mail carries. */
async function invited(body: Record<string, unknown>, by = tokens.adminAlpha): Promise<{ invitation: InvitationView; token: string }> {
  const created = await api('POST', '/api/v1/invitations', by, body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const mail = (await mailsTo(stack, String(body.email))).find((entry) => entry.text.includes('/invitations/accept?token='));
  if (mail === undefined) throw new Error('no invitation mail');
  return { invitation: created.body.invitation as InvitationView, token: linkIn(mail.text).searchParams.get('token') ?? '' };
}

async function shareLink(by: string, body: Record<string, unknown>): Promise<ShareLinkView> {
  const created = await api('POST', '/api/v1/share-links', by, body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.shareLink as ShareLinkView;
}

/** What a preview must never have written. */
async function invitationState(id: string) {
  const [row] = await stack.admin<{ accepted_at: Date | null; n: number }[]>`
    select accepted_at, (select count(*)::int from audit_log where entity_id = ${id}) as n from invitations where id = ${id}`;
  return row;
}

describe('previewing an invitation', () => {
  it('shows its invitee the clinic and the role, and writes nothing', async () => {
    const email = 'previzualizare@example.test';
    const { invitation, token } = await invited({ kind: 'member', email, role: 'receptionist', name: 'Pre Viz' });
    const invitee = await signUpForReal(stack, email, 'Pre Viz');
    const before = await invitationState(invitation.id);
    const reply = await previewInvitation(invitee.token, token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.invitation).toEqual({ kind: 'member', role: 'receptionist', organization: { id: fx.alpha, name: 'Alpha' }, expiresAt: invitation.expiresAt });
    expect(await invitationState(invitation.id)).toEqual(before);
    const [memberships] = await stack.admin<{ n: number }[]>`select count(*)::int as n from memberships where principal_id = ${invitee.principalId}`;
    expect(memberships?.n).toBe(0);
    // The preview changed nothing: accepting still works.
    expect((await acceptInvitation(invitee.token, token)).status).toBe(200);
  });

  it('tells anyone else only to sign in with the invited address: neither the address nor the clinic', async () => {
    const email = 'alta.adresa@example.test';
    const { token } = await invited({ kind: 'member', email, role: 'staff' });
    const other = await signUpForReal(stack, 'intrus.preview@example.test', 'Intrus');
    for (const credential of [other.token, tokens.adminBeta, tokens.staffAlpha, tokens.adminAlpha]) {
      const refused = await previewInvitation(credential, token);
      expect(errorOf(refused)).toEqual({ status: 403, code: 'INVITATION_WRONG_ACCOUNT' });
      expect(JSON.stringify(refused.body)).not.toContain(email);
      expect(JSON.stringify(refused.body)).not.toContain('Alpha');
    }
  });

  it('gives the wrong account the same answer whatever state the invitation is in', async () => {
    const email = 'stare.ascunsa@example.test';
    const { invitation, token } = await invited({ kind: 'member', email, role: 'staff' });
    const other = await signUpForReal(stack, 'curios.stare@example.test', 'Curios');
    expect((await api('DELETE', `/api/v1/invitations/${invitation.id}`, tokens.adminAlpha)).status).toBe(204);
    expect(errorOf(await previewInvitation(other.token, token))).toEqual({ status: 403, code: 'INVITATION_WRONG_ACCOUNT' });
  });

  it('explains, to the invitee, a link that no longer works: expired, revoked, superseded, used', async () => {
    const email = 'linkuri.moarte@example.test';
    const invitee = await signUpForReal(stack, email, 'Linkuri');
    const first = await invited({ kind: 'patient', email });
    await stack.admin`update invitations set expires_at = now() - interval '1 minute' where id = ${first.invitation.id}`;
    expect(errorOf(await previewInvitation(invitee.token, first.token))).toEqual({ status: 410, code: 'INVITATION_EXPIRED' });

    expect((await api('POST', `/api/v1/invitations/${first.invitation.id}/resend`, tokens.adminAlpha, {})).status).toBe(200);
    expect(errorOf(await previewInvitation(invitee.token, first.token))).toEqual({ status: 410, code: 'INVITATION_SUPERSEDED' });
    const newest = (await mailsTo(stack, email)).find((mail) => mail.text.includes('/invitations/accept?token='));
    const second = linkIn(newest?.text ?? '').searchParams.get('token') ?? '';
    expect((await previewInvitation(invitee.token, second)).status).toBe(200);
    expect((await acceptInvitation(invitee.token, second)).status).toBe(200);
    expect(errorOf(await previewInvitation(invitee.token, second))).toEqual({ status: 409, code: 'INVITATION_USED' });

    const revoked = await invited({ kind: 'member', email, role: 'billing' });
    expect((await api('DELETE', `/api/v1/invitations/${revoked.invitation.id}`, tokens.adminAlpha)).status).toBe(204);
    expect(errorOf(await previewInvitation(invitee.token, revoked.token))).toEqual({ status: 410, code: 'INVITATION_REVOKED' });
  });

  it('says so when the invitee has become a member some other way meanwhile', async () => {
    const email = 'deja.membru@example.test';
    const { token } = await invited({ kind: 'member', email, role: 'specialist' });
    const invitee = await signUpForReal(stack, email, 'Deja');
    await stack.admin`insert into memberships (organization_id, principal_id, role) values (${fx.alpha}, ${invitee.principalId}, 'staff')`;
    expect(errorOf(await previewInvitation(invitee.token, token))).toEqual({ status: 409, code: 'ALREADY_MEMBER' });
  });

  it('refuses unknown and malformed tokens, a missing sign-in and API keys', async () => {
    const someone = await signUpForReal(stack, 'necunoscut@example.test', 'Necunoscut');
    expect(errorOf(await previewInvitation(someone.token, 'B'.repeat(43)))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await previewInvitation(someone.token, 'scurt'))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(errorOf(await api('POST', '/api/v1/invitations/preview', null, { token: 'B'.repeat(43) }))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(errorOf(await previewInvitation(apiKey, 'B'.repeat(43)))).toEqual({ status: 403, code: 'FORBIDDEN' });
  });
});

describe('previewing a share-link code', () => {
  it('names the clinic, counts nothing, and knows who already joined', async () => {
    const link = await shareLink(tokens.adminAlpha, { label: 'Afiș unic', maxUses: 1 });
    const first = await signUpForReal(stack, 'primul@example.test', 'Primul');
    const second = await signUpForReal(stack, 'al.doilea@example.test', 'Al Doilea');
    expect((await previewCode(first.token, link.code)).body.shareLink).toEqual({ organization: { id: fx.alpha, name: 'Alpha' }, alreadyJoined: false });
    // Typed as people type it: lower case, without the dash.
    expect((await previewCode(second.token, link.code.replace('-', '').toLowerCase())).status).toBe(200);
    const [unused] = await stack.admin<{ uses: number; joins: number }[]>`
      select uses, (select count(*)::int from share_link_joins where share_link_id = ${link.id}) as joins from share_links where id = ${link.id}`;
    expect(unused).toEqual({ uses: 0, joins: 0 });

    expect((await joinCode(first.token, link.code)).status).toBe(200);
    // The one place is taken: the person who took it is told they joined, the next one that it is used up.
    expect((await previewCode(first.token, link.code)).body.shareLink).toEqual({ organization: { id: fx.alpha, name: 'Alpha' }, alreadyJoined: true });
    expect(errorOf(await previewCode(second.token, link.code))).toEqual({ status: 409, code: 'SHARE_LINK_EXHAUSTED' });
    expect(errorOf(await joinCode(second.token, link.code))).toEqual({ status: 409, code: 'SHARE_LINK_EXHAUSTED' });
  });

  it('refuses revoked, expired, unknown and malformed codes, and API keys', async () => {
    const someone = await signUpForReal(stack, 'cod.mort@example.test', 'Cod Mort');
    const revoked = await shareLink(tokens.adminAlpha, { label: 'Retras' });
    expect((await api('DELETE', `/api/v1/share-links/${revoked.id}`, tokens.adminAlpha)).status).toBe(204);
    expect(errorOf(await previewCode(someone.token, revoked.code))).toEqual({ status: 410, code: 'SHARE_LINK_REVOKED' });
    const expired = await shareLink(tokens.adminAlpha, { label: 'Expirat' });
    await stack.admin`update share_links set expires_at = now() - interval '1 minute' where id = ${expired.id}`;
    expect(errorOf(await previewCode(someone.token, expired.code))).toEqual({ status: 410, code: 'SHARE_LINK_EXPIRED' });
    expect(errorOf(await previewCode(someone.token, 'ZZZZ-ZZZZ'))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await previewCode(someone.token, 'O0O0-1111'))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    const active = await shareLink(tokens.adminAlpha, { label: 'Activ' });
    expect(errorOf(await previewCode(apiKey, active.code))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(errorOf(await api('POST', '/api/v1/share-links/preview', null, { code: active.code }))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });
});

describe("a patient's own clinics", () => {
  let patient: RealPerson;
  let neighbour: RealPerson;

  beforeAll(async () => {
    patient = await signUpForReal(stack, 'pacient.clinici@example.test', 'Pacient Clinici');
    neighbour = await signUpForReal(stack, 'vecin@example.test', 'Vecin');
  });

  it('lists the clinics joined by a code or by accepting a patient invitation, each once', async () => {
    expect(await myClinics(patient.token)).toEqual([]);
    const poster = await shareLink(tokens.adminAlpha, { label: 'Recepție Alpha' });
    expect((await joinCode(patient.token, poster.code)).status).toBe(200);
    // Joining Alpha twice, by two codes, lists it once.
    const desk = await shareLink(tokens.ownerAlpha, { label: 'Birou Alpha' });
    expect((await joinCode(patient.token, desk.code)).status).toBe(200);
    const { token } = await invited({ kind: 'patient', email: 'pacient.clinici@example.test' }, tokens.adminBeta);
    expect((await acceptInvitation(patient.token, token)).status).toBe(200);

    const listed = await myClinics(patient.token);
    expect(listed.map(({ id, name }) => ({ id, name }))).toEqual([{ id: fx.alpha, name: 'Alpha' }, { id: fx.beta, name: 'Beta' }]);
    const [firstJoin] = await stack.admin<{ joined_at: Date }[]>`
      select min(joined_at) as joined_at from share_link_joins where principal_id = ${patient.principalId} and organization_id = ${fx.alpha}`;
    expect(listed[0]?.joinedAt).toBe(firstJoin?.joined_at.toISOString());
  });

  it("never shows another person's clinics, nor a staff member's own clinic", async () => {
    expect(await myClinics(neighbour.token)).toEqual([]);
    // Staff of Alpha, and Alpha's own admin, joined nothing as patients.
    expect(await myClinics(tokens.staffAlpha)).toEqual([]);
    expect(await myClinics(tokens.adminAlpha)).toEqual([]);
    // The neighbour joins Beta only: each sees their own list.
    const beta = await shareLink(tokens.adminBeta, { label: 'Afiș Beta' });
    expect((await joinCode(neighbour.token, beta.code)).status).toBe(200);
    expect((await myClinics(neighbour.token)).map((clinic) => clinic.name)).toEqual(['Beta']);
    expect((await myClinics(patient.token)).map((clinic) => clinic.name)).toEqual(['Alpha', 'Beta']);
  });

  it('is refused to API keys and without a sign-in', async () => {
    expect(errorOf(await api('GET', '/api/v1/me/clinics', apiKey))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(errorOf(await api('GET', '/api/v1/me/clinics', null))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('opens, under RLS, only the joined clinics\' rows and the person\'s own accepted invitations', async () => {
    const as = (principalId: string): AuthContext => ({ principalId, organizationId: null, membershipRole: null, platformRole: null });
    // Joining made the person a patient of both clinics: their records show them those clinics, as sync does.
    const outsideListing = await asPrincipal(stack.api, as(patient.principalId), async (tx) => (await tx`select id from organizations`).length);
    expect(outsideListing).toBe(2);
    const patientSees = await asPrincipal(stack.api, as(patient.principalId), async (tx) => ({
      organizations: await tx`select set_config('app.reading_own_clinics', 'on', true)`
        .then(() => tx<{ id: string }[]>`select id from organizations order by name`).then((rows) => rows.map((row) => row.id)),
      invitations: (await tx<{ email: string }[]>`select email from invitations`).map((row) => row.email),
      joins: (await tx<{ principal_id: string }[]>`select distinct principal_id from share_link_joins`).map((row) => row.principal_id),
    }));
    expect(patientSees).toEqual({ organizations: [fx.alpha, fx.beta], invitations: ['pacient.clinici@example.test'], joins: [patient.principalId] });
    const strangerSees = await asPrincipal(stack.api, as((await signUpForReal(stack, 'strain.rls@example.test', 'Străin')).principalId), async (tx) => ({
      organizations: await tx`select set_config('app.reading_own_clinics', 'on', true)`.then(() => tx`select id from organizations`).then((rows) => rows.length),
      invitations: (await tx`select id from invitations`).length,
      joins: (await tx`select id from share_link_joins`).length,
    }));
    expect(strangerSees).toEqual({ organizations: 0, invitations: 0, joins: 0 });
  });
});
