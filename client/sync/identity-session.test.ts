import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DifferentPersonError, establishIdentitySession, isUnreachable, renewSession, sessionInOrganization } from './identity-session.ts';
import type { Session } from './session.ts';
import { SessionEndedError } from './token-keeper.ts';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (payload: Record<string, unknown>) => `${segment({ alg: 'EdDSA' })}.${segment(payload)}.sig`;

const ALICE = 'a0000000-0000-4000-8000-000000000001';
const CLINIC_A = 'c0000000-0000-4000-8000-00000000000a';
const CLINIC_B = 'c0000000-0000-4000-8000-00000000000b';
const contextIn = (organizationId: string | null, principalId = ALICE): AuthContext => ({ principalId, organizationId, membershipRole: organizationId === null ? null : 'admin', platformRole: null });

/** better-auth and our API as the browser sees them: one cookie session, in one clinic at a time. */
class FakeServer {
  cookie: { userId: string; organizationId: string | null } | null = { userId: ALICE, organizationId: CLINIC_B };
  issued = 0;
  secondFactorRequired = false;
  readonly calls: string[] = [];

  readonly fetch = async (input: string, init: RequestInit = {}): Promise<Response> => {
    await Promise.resolve();
    const method = init.method ?? 'GET';
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const call = `${method} ${input}`;
    this.calls.push(call);
    const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
    const cookie = this.cookie;
    switch (call) {
      case 'GET /api/auth/get-session':
        return json(200, cookie === null ? null : { session: { id: 's1' }, user: { id: cookie.userId, name: 'Alice Pop', email: 'alice@example.test', twoFactorEnabled: false } });
      case 'GET /api/auth/token':
        if (cookie === null) return json(401, { code: 'UNAUTHORIZED', message: 'Unauthorized' });
        this.issued += 1;
        return json(200, { token: jwt({ sub: cookie.userId, sid: 's1', org: cookie.organizationId, exp: 2_000_000_000 + this.issued }) });
      case 'GET /api/session': {
        const header = new Headers(init.headers).get('authorization') ?? '';
        const payload = JSON.parse(Buffer.from(header.replace('Bearer ', '').split('.')[1] ?? '', 'base64url').toString()) as { sub: string; org: string | null };
        if (this.secondFactorRequired) return json(403, { error: { code: 'SECOND_FACTOR_REQUIRED', message: 'enrol' } });
        return json(200, { context: contextIn(payload.org, payload.sub) });
      }
      case 'POST /api/session/organization': {
        const { organizationId } = body as { organizationId: string };
        if (cookie === null) return json(401, { error: { code: 'UNAUTHENTICATED', message: 'sign in' } });
        if (organizationId !== CLINIC_A && organizationId !== CLINIC_B) return json(404, { error: { code: 'NOT_FOUND', message: 'no' } });
        cookie.organizationId = organizationId;
        return json(200, { context: contextIn(organizationId) });
      }
      case 'POST /api/dev/login':
        return json(200, { token: jwt({ sub: ALICE, org: (body as { organizationId?: string }).organizationId ?? null, exp: 1 }), expiresAt: 1_000, context: contextIn(CLINIC_A), human: { name: 'Alice Pop', email: 'alice@example.test', locale: 'ro' }, organizations: [{ id: CLINIC_A, name: 'A', role: 'admin' }] });
      default:
        return json(404, { error: { code: 'NOT_FOUND', message: call } });
    }
  };
}

let server: FakeServer;
beforeEach(() => {
  server = new FakeServer();
  vi.stubGlobal('fetch', server.fetch);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const identitySession = (organizationId: string | null): Session => ({
  source: 'identity',
  token: 'old',
  expiresAt: 0,
  context: contextIn(organizationId),
  human: { name: 'Alice Pop', email: 'alice@example.test', locale: 'en' },
  organizations: [
    { id: CLINIC_A, name: 'A', role: 'admin' },
    { id: CLINIC_B, name: 'B', role: 'admin' },
  ],
  sharedDevice: true,
});

describe('establishIdentitySession', () => {
  it("builds the same session the development login gives, from the cookie's token and the server's context", async () => {
    const signIn = await establishIdentitySession('ro');
    expect(signIn).toEqual({
      source: 'identity',
      token: expect.any(String) as string,
      expiresAt: 2_000_000_001_000,
      context: contextIn(CLINIC_B),
      human: { name: 'Alice Pop', email: 'alice@example.test', locale: 'ro' },
      organizations: [],
    });
    expect(server.calls).toEqual(['GET /api/auth/get-session', 'GET /api/auth/token', 'GET /api/session']);
  });

  it('says the session ended when there is no cookie', async () => {
    server.cookie = null;
    await expect(establishIdentitySession('en')).rejects.toMatchObject({ name: 'SessionEndedError', code: 'UNAUTHENTICATED' });
  });

  it('asks for a second factor when the role needs one', async () => {
    server.secondFactorRequired = true;
    await expect(establishIdentitySession('en')).rejects.toMatchObject({ code: 'SECOND_FACTOR_REQUIRED' });
  });
});

describe('renewSession', () => {
  it("keeps the device's clinic: a session the server moved elsewhere is moved back before the token is taken", async () => {
    const renewed = await renewSession(identitySession(CLINIC_A));
    expect(server.calls).toEqual(['GET /api/auth/token', 'POST /api/session/organization', 'GET /api/auth/token', 'GET /api/session']);
    expect(renewed.context.organizationId).toBe(CLINIC_A);
    expect(renewed.token).not.toBe('old');
    expect(renewed.expiresAt).toBe(2_000_000_002_000);
    // Everything else stays: who, their clinics, the storage mode.
    expect(renewed).toMatchObject({ source: 'identity', sharedDevice: true, human: { locale: 'en' } });
    expect(renewed.organizations).toHaveLength(2);
  });

  it('asks for nothing more when the token is already in the right clinic', async () => {
    await renewSession(identitySession(CLINIC_B));
    expect(server.calls).toEqual(['GET /api/auth/token', 'GET /api/session']);
  });

  it('says the session ended when the cookie is gone (signed out elsewhere, revoked)', async () => {
    server.cookie = null;
    const failure = await renewSession(identitySession(CLINIC_B)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SessionEndedError);
    expect(failure).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it("never hands someone else's token to this person's session", async () => {
    server.cookie = { userId: 'b0000000-0000-4000-8000-000000000002', organizationId: null };
    await expect(renewSession(identitySession(null))).rejects.toBeInstanceOf(DifferentPersonError);
  });

  it('renews a development session through the development login, in its clinic', async () => {
    const dev: Session = { ...identitySession(CLINIC_A), source: 'development' };
    const renewed = await renewSession(dev);
    expect(server.calls).toEqual(['POST /api/dev/login']);
    expect(renewed).toMatchObject({ source: 'development', sharedDevice: true, context: { organizationId: CLINIC_A } });
  });

  it('tells an unreachable server from an ended session', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    const failure = await renewSession(identitySession(CLINIC_B)).catch((error: unknown) => error);
    expect(isUnreachable(failure)).toBe(true);
    expect(failure).not.toBeInstanceOf(SessionEndedError);
  });
});

describe('sessionInOrganization', () => {
  it('moves the cookie session to the chosen clinic and takes a token there', async () => {
    const switched = await sessionInOrganization(identitySession(CLINIC_B), CLINIC_A);
    expect(server.calls[0]).toBe('POST /api/session/organization');
    expect(switched.context.organizationId).toBe(CLINIC_A);
  });

  it('refuses a clinic the person does not belong to', async () => {
    await expect(sessionInOrganization(identitySession(CLINIC_B), 'c0000000-0000-4000-8000-0000000000ff')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
