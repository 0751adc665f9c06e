import { Zero } from '@rocicorp/zero';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { outboxSettled } from '../../infra/test/outbox.ts';
import { startTestStack, type TestStack } from '../../infra/test/test-stack.ts';
import { totpCode } from '../../infra/test/totp.ts';
import { seedDemo } from '../../seeds/demo.ts';
import { addMembership, createCustomRole } from '../../seeds/factories.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { mutators } from '../../sync-rules/mutators.ts';
import { queries } from '../../sync-rules/queries.ts';
import { schema } from '../../sync-rules/schema.ts';
import { cookieJar } from '../../infra/test/cookie-jar.ts';

/** Real sign-in (better-auth behind /api/auth), its access tokens, and what the API makes of them. */
let stack: TestStack;
beforeAll(async () => { stack = await startTestStack(inject('pgSuperuserUrl'), async (sql) => { await seedDemo(sql); }); });
afterAll(async () => { await stack.stop(); });

const PASSWORD = 'genunchi umar glezna cot';

type Mail = { to: string[]; subject: string; text: string };

/** A browser-like client: keeps cookies, sends our Origin. */
function browser() {
  const jar = cookieJar();
  return async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${stack.origin}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      redirect: 'manual',
      headers: {
        origin: stack.origin,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        cookie: jar.header(),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    jar.absorb(response);
    return response;
  };
}

/** The newest mail to `email`, once the outbox has sent what it had. */
async function mailTo(email: string): Promise<Mail> {
  await outboxSettled(stack.admin);
  const response = await fetch(`${stack.origin}/dev/mailbox.json`);
  const { messages } = (await response.json()) as { messages: Mail[] };
  const mail = messages.find((m) => m.to.includes(email));
  if (mail === undefined) throw new Error(`no mail to ${email}`);
  return mail;
}

/** Everything in the development mailbox once the outbox is idle: what is not there by then was never sent. */
async function settledMailbox(): Promise<{ messages: Mail[] }> {
  await outboxSettled(stack.admin);
  return (await (await fetch(`${stack.origin}/dev/mailbox.json`)).json()) as { messages: Mail[] };
}

const linkIn = (text: string): string => {
  const match = /https?:\/\/\S+/.exec(text);
  if (match === null) throw new Error(`no link in ${text}`);
  return match[0];
};

async function signedUpAndVerified(email: string, name: string) {
  const client = browser();
  expect((await client('/api/auth/sign-up/email', { body: { email, password: PASSWORD, name } })).status).toBe(200);
  const link = new URL(linkIn((await mailTo(email)).text));
  expect((await client(`${link.pathname}${link.search}`)).status).toBeLessThan(400);
  expect((await client('/api/auth/sign-in/email', { body: { email, password: PASSWORD } })).status).toBe(200);
  const { token } = (await (await client('/api/auth/token')).json()) as { token: string };
  return { client, token };
}

// First in the file: the limit counts every sign-in from this address in the last minute.
describe('rate limits', () => {
  it('throttles the 101st consecutive failed sign-in, with a standard Retry-After', async () => {
    const client = browser();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let attempt = 1; attempt <= 101; attempt++) {
      const response = await client('/api/auth/sign-in/email', { body: { email: 'admin@motion.test', password: 'not the password at all' } });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses.slice(0, 100).every((status) => status === 401)).toBe(true);
    expect(statuses[100]).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // The other tests of this file sign in from the same address.
    await stack.admin`delete from auth."rateLimit"`;
  });
});

describe('passwords (NIST SP 800-63B)', () => {
  it('refuses a blocklisted or short password at sign-up, with its code', async () => {
    const client = browser();
    const common = await client('/api/auth/sign-up/email', { body: { email: 'x1@example.test', password: '1qaz2wsx3edc4rfv', name: 'X' } });
    expect(common.status).toBe(400);
    expect(await common.json()).toMatchObject({ code: 'PASSWORD_BLOCKLISTED' });
    const short = await client('/api/auth/sign-up/email', { body: { email: 'x2@example.test', password: 'scurtă dar ok', name: 'X' } });
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ code: 'PASSWORD_TOO_SHORT' });
    expect((await stack.admin`select count(*)::int as n from auth."user" where email like 'x_@example.test'`)[0]?.n).toBe(0);
  });
});

describe('sign-up, verification and sign-in', () => {
  it('makes a person a human principal, verifies the email through the mailbox, and issues an ids-only EdDSA token', async () => {
    const client = browser();
    const email = 'pacient.nou@example.test';
    expect((await client('/api/auth/sign-up/email', { body: { email, password: PASSWORD, name: 'Pacient Nou' } })).status).toBe(200);
    const [principal] = await stack.admin<{ id: string; kind: string }[]>`
      select p.id, p.kind from principals p join humans h on h.principal_id = p.id where h.email = ${email}`;
    expect(principal?.kind).toBe('human');
    const [user] = await stack.admin<{ id: string }[]>`select id from auth."user" where email = ${email}`;
    expect(user?.id).toBe(principal?.id);

    // Not before the email is verified.
    expect((await client('/api/auth/sign-in/email', { body: { email, password: PASSWORD } })).status).toBe(403);
    const mail = await mailTo(email);
    expect(mail.subject.length).toBeGreaterThan(0);
    const link = new URL(linkIn(mail.text));
    expect((await client(`${link.pathname}${link.search}`)).status).toBeLessThan(400);

    const signIn = await client('/api/auth/sign-in/email', { body: { email, password: PASSWORD } });
    expect(signIn.status).toBe(200);
    const { token } = (await (await client('/api/auth/token')).json()) as { token: string };
    expect(decodeProtectedHeader(token).alg).toBe('EdDSA');
    const claims = decodeJwt(token);
    expect(claims.sub).toBe(principal?.id);
    expect(JSON.stringify(claims)).not.toMatch(/pacient|Pacient|@example/);

    const session = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ context: { principalId: principal?.id, organizationId: null } });
  });

  it("links a known person's account to their principal, so real sign-in syncs their clinic", async () => {
    const { token } = await signedUpAndVerified('staff@kinetic.test', 'Elena Dumitrescu');
    const response = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${token}` } });
    const { context } = (await response.json()) as { context: AuthContext };
    expect(context.membershipRole).toBe('staff');
    const zero = new Zero({ cacheURL: `${stack.origin}/zero`, schema, mutators, userID: context.principalId, auth: token, context, kvStore: 'mem', logLevel: 'error' });
    const locations = await zero.run(queries.clinic.locations(), { type: 'complete' });
    expect(locations.map((l) => l.name).sort()).toEqual(['Kinetic Centru', 'Kinetic Cluj', 'Kinetic Floreasca']);
    await zero.close();
  });

  it('makes an owner enrol a second factor before acting, and then asks for it at every sign-in', async () => {
    const email = 'owner@kinetic.test';
    const { client, token } = await signedUpAndVerified(email, 'Ioana Popescu');
    const refused = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'SECOND_FACTOR_REQUIRED' } });

    const enable = await client('/api/auth/two-factor/enable', { body: { password: PASSWORD } });
    expect(enable.status).toBe(200);
    const { totpURI } = (await enable.json()) as { totpURI: string };
    expect((await client('/api/auth/two-factor/verify-totp', { body: { code: totpCode(totpURI) } })).status).toBe(200);
    const { token: protectedToken } = (await (await client('/api/auth/token')).json()) as { token: string };
    const allowed = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${protectedToken}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ context: { membershipRole: 'owner' } });

    // A fresh sign-in now stops at the second factor; a wrong code gets nowhere.
    const device = browser();
    const first = await device('/api/auth/sign-in/email', { body: { email, password: PASSWORD } });
    expect(await first.json()).toMatchObject({ twoFactorRedirect: true });
    expect((await device('/api/auth/two-factor/verify-totp', { body: { code: '000000' } })).status).toBe(401);
    expect((await device('/api/auth/two-factor/verify-totp', { body: { code: totpCode(totpURI) } })).status).toBe(200);

    // A magic link would skip the code: none is sent (and the answer does not say why).
    const before = await settledMailbox();
    const asked = await browser()('/api/auth/sign-in/magic-link', { body: { email, callbackURL: '/clinic/' } });
    expect(asked.status).toBe(200);
    const after = await settledMailbox();
    expect(after.messages.length).toBe(before.messages.length);
  });

  it('sends a magic link to someone who needs no second factor', async () => {
    await signedUpAndVerified('staff@motion.test', 'Radu Marin');
    const asked = await browser()('/api/auth/sign-in/magic-link', { body: { email: 'staff@motion.test', callbackURL: '/clinic/' } });
    expect(asked.status).toBe(200);
    const mail = await mailTo('staff@motion.test');
    expect(linkIn(mail.text)).toContain('/api/auth/magic-link/verify');
  });

  it('treats a custom role that manages people like an admin: second factor required, no magic link', async () => {
    const email = 'desk.lead@example.test';
    await signedUpAndVerified(email, 'Desk Lead');
    const [motion] = await stack.admin<{ id: string; owner: string }[]>`
      select o.id, m.principal_id as owner from organizations o join memberships m on m.organization_id = o.id and m.role = 'owner'
      where o.slug = 'motion' limit 1`;
    if (motion === undefined) throw new Error('the demo seed has no motion clinic');
    const roleId = await createCustomRole(stack.admin, motion.id, { name: 'Desk lead', permissions: ['members.read', 'members.manage'], createdBy: motion.owner });
    const [person] = await stack.admin<{ principal_id: string }[]>`select principal_id from humans where email = ${email}`;
    await addMembership(stack.admin, motion.id, person?.principal_id ?? '', 'custom', roleId);
    // A new sign-in starts in the clinic; the password alone is one factor.
    const device = browser();
    expect((await device('/api/auth/sign-in/email', { body: { email, password: PASSWORD } })).status).toBe(200);
    const { token } = (await (await device('/api/auth/token')).json()) as { token: string };
    expect(decodeJwt(token)).toMatchObject({ org: motion.id, mfa: false });

    const refused = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'SECOND_FACTOR_REQUIRED' } });
    const before = await settledMailbox();
    expect((await browser()('/api/auth/sign-in/magic-link', { body: { email, callbackURL: '/clinic/' } })).status).toBe(200);
    const after = await settledMailbox();
    expect(after.messages.length).toBe(before.messages.length);
  });

  it('lists the active sessions and revokes one, whose token then stops working', async () => {
    const email = 'two.devices@example.test';
    const { client: phone, token: phoneToken } = await signedUpAndVerified(email, 'Two Devices');
    const laptop = browser();
    expect((await laptop('/api/auth/sign-in/email', { body: { email, password: PASSWORD } })).status).toBe(200);
    const { token: laptopToken } = (await (await laptop('/api/auth/token')).json()) as { token: string };

    const sessions = (await (await laptop('/api/auth/list-sessions')).json()) as { token: string; id: string }[];
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    const phoneSessionId = decodeJwt(phoneToken).sid;
    const phoneSession = sessions.find((session) => session.id === phoneSessionId);
    expect(phoneSession).toBeDefined();
    expect((await laptop('/api/auth/revoke-session', { body: { token: phoneSession?.token } })).status).toBe(200);

    const ask = (token: string) => fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${token}` } });
    expect((await ask(phoneToken)).status).toBe(401);
    expect((await ask(laptopToken)).status).toBe(200);
    expect((await phone('/api/auth/token')).status).toBe(401);
  });

  it('refuses the access token of a signed-out session', async () => {
    const { client, token } = await signedUpAndVerified('receptionist.nou@example.test', 'Nou Receptionist');
    const before = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(before.status).toBe(200);
    expect((await client('/api/auth/sign-out', { method: 'POST', body: {} })).status).toBe(200);
    const after = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
  });

  it("refuses tokens with alg none, or signed with someone else's key", async () => {
    const { token } = await signedUpAndVerified('owner@motion.test', 'Andrei Stan');
    const [header, payload] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload ?? ''}.`;
    const tampered = `${header ?? ''}.${Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}.${token.split('.')[2] ?? ''}`;
    for (const forged of [none, tampered]) {
      const response = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${forged}` } });
      expect(response.status).toBe(401);
    }
  });

});
