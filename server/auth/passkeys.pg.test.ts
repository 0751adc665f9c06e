import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { softAuthenticator, type SoftAuthenticator } from '../../infra/test/soft-authenticator.ts';
import { outboxSettled } from '../../infra/test/outbox.ts';
import { startTestStack, type TestStack } from '../../infra/test/test-stack.ts';
import { seedDemo } from '../../seeds/demo.ts';
import { cookieJar } from '../../infra/test/cookie-jar.ts';

/**
 * Passkeys (ADR 0010) against the real identity service, with a software authenticator playing the
 * browser: registration needs a session, a passkey sign-in with user verification satisfies the
 * second factor and nothing else can pretend to be one.
 */
let stack: TestStack;
beforeAll(async () => { stack = await startTestStack(inject('pgSuperuserUrl'), async (sql) => { await seedDemo(sql); }); });
afterAll(async () => { await stack.stop(); });

const PASSWORD = 'genunchi umar glezna cot';

type Client = ((path: string, init?: { method?: string; body?: unknown }) => Promise<Response>) & { cookies: Map<string, string> };

/** A browser-like client: keeps cookies, sends our Origin. */
function browser(): Client {
  const jar = cookieJar();
  const { cookies } = jar;
  const call = async (path: string, init: { method?: string; body?: unknown } = {}) => {
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
  return Object.assign(call, { cookies });
}

async function verificationLink(email: string): Promise<string> {
  await outboxSettled(stack.admin);
  const { messages } = (await (await fetch(`${stack.origin}/dev/mailbox.json`)).json()) as { messages: { to: string[]; text: string }[] };
  const link = messages.find((mail) => mail.to.includes(email))?.text.match(/https?:\/\/\S+/)?.[0];
  if (link === undefined) throw new Error(`no link to ${email}`);
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

/** A confirmed account, signed in with its password on a fresh client. */
async function withPassword(email: string, name: string): Promise<Client> {
  const client = browser();
  expect((await client('/api/auth/sign-up/email', { body: { email, password: PASSWORD, name } })).status).toBe(200);
  expect((await client(await verificationLink(email))).status).toBeLessThan(400);
  expect((await client('/api/auth/sign-in/email', { body: { email, password: PASSWORD } })).status).toBe(200);
  return client;
}

async function accessToken(client: Client): Promise<string> {
  const response = await client('/api/auth/token');
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

const mfaOf = (token: string): unknown => decodeJwt(token).mfa;

const contextStatus = async (token: string) => (await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${token}` } })).status;

async function register(client: Client, authenticator: SoftAuthenticator, name: string, lies: Parameters<SoftAuthenticator['register']>[1] = {}): Promise<Response> {
  const options = await client('/api/auth/passkey/generate-register-options');
  expect(options.status).toBe(200);
  return client('/api/auth/passkey/verify-registration', { body: { response: authenticator.register(await options.json(), lies), name } });
}

/** A passkey sign-in on a fresh client (a signed-out browser). */
async function signInWithPasskey(authenticator: SoftAuthenticator, lies: Parameters<SoftAuthenticator['signIn']>[1] = {}): Promise<{ client: Client; response: Response }> {
  const client = browser();
  const options = await client('/api/auth/passkey/generate-authenticate-options');
  expect(options.status).toBe(200);
  const response = await client('/api/auth/passkey/verify-authentication', { body: { response: authenticator.signIn(await options.json(), lies) } });
  return { client, response };
}

const sessionCount = async () => (await stack.admin<{ n: number }[]>`select count(*)::int as n from auth.session`)[0]?.n;
const gotSessionCookie = (client: Client) => [...client.cookies].some(([name, value]) => name.includes('session_token') && value !== '');

describe('registering a passkey', () => {
  it('is refused without a session, at both steps, and stores nothing', async () => {
    const stranger = browser();
    expect((await stranger('/api/auth/passkey/generate-register-options')).status).toBe(401);
    const forged = softAuthenticator(stack.origin).register({ challenge: 'AAAA', rp: { id: new URL(stack.origin).hostname }, user: { id: 'AAAA' } });
    expect((await stranger('/api/auth/passkey/verify-registration', { body: { response: forged, name: 'mine now' } })).status).toBe(401);
    expect((await stack.admin`select 1 from auth.passkey`).length).toBe(0);
  });

  it('is refused without user verification (presence alone is one factor)', async () => {
    const client = await withPassword('fara.pin@example.test', 'Fara Pin');
    const response = await register(client, softAuthenticator(stack.origin), 'Cheie', { userVerified: false });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'PASSKEY_USER_NOT_VERIFIED' });
    expect((await stack.admin`select 1 from auth.passkey p join auth."user" u on u.id = p."userId" where u.email = 'fara.pin@example.test'`).length).toBe(0);
  });

  it("is refused for a credential id someone else already registered, whose passkey keeps working", async () => {
    const victim = softAuthenticator(stack.origin);
    expect((await register(await withPassword('victima@example.test', 'Victima'), victim, 'Telefon')).status).toBe(200);
    const credentialId = victim.passkeys()[0]?.credentialId ?? '';
    const attacker = await withPassword('atacator@example.test', 'Atacator');
    const squatted = await register(attacker, softAuthenticator(stack.origin), 'Copie', { credentialId });
    expect(squatted.status).toBe(400);
    expect((await stack.admin`select 1 from auth.passkey where "credentialID" = ${credentialId}`).length).toBe(1);
    expect((await signInWithPasskey(victim)).response.status).toBe(200);
  });
});

describe('signing in with a passkey', () => {
  it("gives a session whose token carries mfa=true; a password session's does not", async () => {
    const email = 'pacient.passkey@example.test';
    const password = await withPassword(email, 'Pacient Passkey');
    expect(mfaOf(await accessToken(password))).toBe(false);

    const authenticator = softAuthenticator(stack.origin);
    const registered = await register(password, authenticator, 'Telefonul meu');
    expect(registered.status).toBe(200);
    const listed = (await (await password('/api/auth/passkey/list-user-passkeys')).json()) as { name: string; createdAt: string }[];
    expect(listed.map((passkey) => passkey.name)).toEqual(['Telefonul meu']);

    // The browser is asked for the PIN or biometric, not merely "preferred".
    const options = (await (await browser()('/api/auth/passkey/generate-authenticate-options')).json()) as { userVerification?: string };
    expect(options.userVerification).toBe('required');

    const { client, response } = await signInWithPasskey(authenticator);
    expect(response.status).toBe(200);
    const token = await accessToken(client);
    expect(mfaOf(token)).toBe(true);
    expect(decodeJwt(token).sub).toBe((await stack.admin<{ id: string }[]>`select id from auth."user" where email = ${email}`)[0]?.id);
    expect(await contextStatus(token)).toBe(200);

    // A new password sign-in of the same person is still a one-factor session.
    const again = browser();
    expect((await again('/api/auth/sign-in/email', { body: { email, password: PASSWORD } })).status).toBe(200);
    expect(mfaOf(await accessToken(again))).toBe(false);
  });

  it('lets an admin who must have a second factor in without TOTP; their password sign-in still needs it', async () => {
    const email = 'admin@motion.test';
    const password = await withPassword(email, 'Maria Georgescu');
    const passwordToken = await accessToken(password);
    expect(await contextStatus(passwordToken)).toBe(403);

    // Enrolled like a TOTP authenticator: from the password session (the first factor).
    const authenticator = softAuthenticator(stack.origin);
    expect((await register(password, authenticator, 'Laptop')).status).toBe(200);

    const { client, response } = await signInWithPasskey(authenticator);
    expect(response.status).toBe(200);
    const passkeyToken = await accessToken(client);
    const context = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${passkeyToken}` } });
    expect(context.status).toBe(200);
    expect(await context.json()).toMatchObject({ context: { membershipRole: 'admin' } });

    const later = browser();
    expect((await later('/api/auth/sign-in/email', { body: { email, password: PASSWORD } })).status).toBe(200);
    const refused = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${await accessToken(later)}` } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'SECOND_FACTOR_REQUIRED' } });
  });

  it('on a shared device leaves no lasting cookie and a one-day session, as a password sign-in does', async () => {
    const authenticator = softAuthenticator(stack.origin);
    expect((await register(await withPassword('calculator.comun@example.test', 'Calculator Comun'), authenticator, 'Telefon')).status).toBe(200);
    const lastSessionCookie = (response: Response) => response.headers.getSetCookie().filter((line) => line.includes('session_token=')).at(-1) ?? '';
    const expiresOf = async (client: Client) => {
      const { sid } = decodeJwt(await accessToken(client));
      return (await stack.admin<{ expiresAt: Date }[]>`select "expiresAt" from auth.session where id = ${String(sid)}`)[0]?.expiresAt.getTime() ?? 0;
    };

    const remembered = await signInWithPasskey(authenticator);
    expect(lastSessionCookie(remembered.response)).toMatch(/Max-Age=\d+/i);
    expect(await expiresOf(remembered.client)).toBeGreaterThan(Date.now() + 2 * 24 * 3600 * 1000);

    const shared = browser();
    const options = await shared('/api/auth/passkey/generate-authenticate-options');
    const response = await shared('/api/auth/passkey/verify-authentication?rememberMe=false', { body: { response: authenticator.signIn(await options.json()) } });
    expect(response.status).toBe(200);
    expect(lastSessionCookie(response)).not.toMatch(/Max-Age|Expires/i);
    expect(await expiresOf(shared)).toBeLessThanOrEqual(Date.now() + 24 * 3600 * 1000);
    expect(mfaOf(await accessToken(shared))).toBe(true);
  });

  it('refuses forged, garbage, phished, unverified and replayed answers, and creates no session', async () => {
    const authenticator = softAuthenticator(stack.origin);
    expect((await register(await withPassword('tinta@example.test', 'Tinta'), authenticator, 'Telefon')).status).toBe(200);
    const before = await sessionCount();

    const attempts: { label: string; response: Response; client: Client }[] = [];
    for (const [label, body] of [
      ['no body', {}],
      ['garbage', { response: { id: 'nu-exista', type: 'public-key', response: { clientDataJSON: 'xx', authenticatorData: 'yy', signature: 'zz' } } }],
      ['a string', { response: 'admin' }],
    ] as const) {
      const client = browser();
      await client('/api/auth/passkey/generate-authenticate-options');
      attempts.push({ label, response: await client('/api/auth/passkey/verify-authentication', { body }), client });
    }
    // A genuine answer posted without the challenge this client was given.
    const noChallenge = browser();
    const stolen = authenticator.signIn(await (await browser()('/api/auth/passkey/generate-authenticate-options')).json());
    attempts.push({ label: 'no challenge', response: await noChallenge('/api/auth/passkey/verify-authentication', { body: { response: stolen } }), client: noChallenge });
    for (const [label, lies] of [
      ['forged signature', { forgeSignature: true }],
      ['made for a phishing site', { origin: 'https://restartix-login.example' }],
      ['no user verification', { userVerified: false }],
    ] as const) {
      const { client, response } = await signInWithPasskey(authenticator, lies);
      attempts.push({ label, response, client });
    }
    // Replay: the same challenge and answer a second time.
    const replayer = browser();
    const options: unknown = await (await replayer('/api/auth/passkey/generate-authenticate-options')).json();
    const answer = authenticator.signIn(options);
    const cookie = new Map(replayer.cookies);
    expect((await replayer('/api/auth/passkey/verify-authentication', { body: { response: answer } })).status).toBe(200);
    const replayed = browser();
    for (const [name, value] of cookie) replayed.cookies.set(name, value);
    attempts.push({ label: 'replayed', response: await replayed('/api/auth/passkey/verify-authentication', { body: { response: answer } }), client: replayed });

    for (const { label, response, client } of attempts) {
      expect(response.status, label).toBeGreaterThanOrEqual(400);
      expect(response.status, label).toBeLessThan(500);
      expect(gotSessionCookie(client), label).toBe(false);
    }
    // The one genuine sign-in above, nothing else.
    expect(await sessionCount()).toBe((before ?? 0) + 1);
  });

  it('cannot be claimed by a client: the passkey mark is refused as input and ignored at sign-in', async () => {
    const email = 'viclean@example.test';
    const client = await withPassword(email, 'Viclean');
    const update = await client('/api/auth/update-session', { body: { signedInWithPasskey: true } });
    expect(update.status).toBe(400);
    const smuggled = browser();
    expect((await smuggled('/api/auth/sign-in/email', { body: { email, password: PASSWORD, signedInWithPasskey: true } })).status).toBe(200);
    expect(mfaOf(await accessToken(smuggled))).toBe(false);
    expect(mfaOf(await accessToken(client))).toBe(false);
    const marked = await stack.admin`select 1 from auth.session s join auth."user" u on u.id = s."userId" where u.email = ${email} and s."signedInWithPasskey"`;
    expect(marked.length).toBe(0);
  });
});

describe('managing passkeys', () => {
  it("lists and deletes only one's own; a deleted passkey signs nobody in", async () => {
    const mine = softAuthenticator(stack.origin);
    const owner = await withPassword('proprietar.cheie@example.test', 'Proprietar');
    expect((await register(owner, mine, 'Telefon')).status).toBe(200);
    const [passkey] = (await (await owner('/api/auth/passkey/list-user-passkeys')).json()) as { id: string }[];
    expect(passkey).toBeDefined();

    const other = await withPassword('altcineva@example.test', 'Altcineva');
    expect(await (await other('/api/auth/passkey/list-user-passkeys')).json()).toEqual([]);
    const stolen = await other('/api/auth/passkey/delete-passkey', { body: { id: passkey?.id } });
    expect(stolen.status).toBeGreaterThanOrEqual(400);
    expect((await stack.admin`select 1 from auth.passkey where id = ${passkey?.id ?? ''}`).length).toBe(1);

    expect((await owner('/api/auth/passkey/delete-passkey', { body: { id: passkey?.id } })).status).toBe(200);
    expect((await stack.admin`select 1 from auth.passkey where id = ${passkey?.id ?? ''}`).length).toBe(0);
    const { client, response } = await signInWithPasskey(mine);
    expect(response.status).toBe(401);
    expect(gotSessionCookie(client)).toBe(false);
  });
});
