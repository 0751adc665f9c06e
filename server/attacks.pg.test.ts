import { randomUUID } from 'node:crypto';
import { defineMutator, defineMutators, Zero } from '@rocicorp/zero';
import { SignJWT } from 'jose';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestStack, type Session, type TestStack } from '../infra/test/test-stack.ts';
import { addMembership, createHuman, createLocation, createOrganization } from '../seeds/factories.ts';
import { queries } from '../sync-rules/queries.ts';
import { schema } from '../sync-rules/schema.ts';

/**
 * Attacks from a script with a valid token of the wrong principal, not through the UI. The client's
 * mutators here do nothing locally, as a tampered client would, so every argument reaches the server.
 */
const noop = defineMutator(() => Promise.resolve());
const tamperedMutators = defineMutators({
  location: { create: noop, update: noop, setStatus: noop },
  organization: { create: noop },
});

type Ids = { alpha: string; beta: string; alphaOpen: string; alphaClosed: string; betaOpen: string };
const ids = {} as Ids;

async function seed(sql: Sql): Promise<void> {
  ids.alpha = await createOrganization(sql, { slug: 'alpha', name: 'Alpha' });
  ids.beta = await createOrganization(sql, { slug: 'beta', name: 'Beta' });
  for (const [slug, orgId] of [['alpha', ids.alpha], ['beta', ids.beta]] as const) {
    await addMembership(sql, orgId, await createHuman(sql, { email: `admin@${slug}.test`, name: `Admin ${slug}` }), 'admin');
    await addMembership(sql, orgId, await createHuman(sql, { email: `staff@${slug}.test`, name: `Staff ${slug}` }), 'staff');
  }
  await createHuman(sql, { email: 'root@platform.test', name: 'Root', platformRole: 'superadmin' });
  await createHuman(sql, { email: 'help@platform.test', name: 'Help', platformRole: 'support_engineer' });
  ids.alphaOpen = await createLocation(sql, ids.alpha, { slug: 'open', name: 'Alpha open' });
  ids.alphaClosed = await createLocation(sql, ids.alpha, { slug: 'shut', name: 'Alpha shut', status: 'closed' });
  ids.betaOpen = await createLocation(sql, ids.beta, { slug: 'open', name: 'Beta open' });
}

let stack: TestStack;
const sessions = new Map<string, Session>();
const clients = new Map<string, ReturnType<typeof tamperedClient>>();

function tamperedClient(session: Session) {
  return new Zero({
    cacheURL: `${stack.origin}/zero`,
    schema,
    mutators: tamperedMutators,
    userID: session.context.principalId,
    auth: session.token,
    context: session.context,
    kvStore: 'mem',
    logLevel: 'error',
  });
}

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), seed);
  for (const email of ['admin@alpha.test', 'admin@beta.test', 'staff@beta.test', 'root@platform.test', 'help@platform.test']) {
    sessions.set(email, await stack.login(email));
  }
});
afterAll(async () => {
  await Promise.all([...clients.values()].map((zero) => zero.close()));
  await stack.stop();
});

function attacker(email: string) {
  const session = sessions.get(email);
  if (session === undefined) throw new Error(`no session for ${email}`);
  let zero = clients.get(email);
  if (zero === undefined) {
    zero = tamperedClient(session);
    clients.set(email, zero);
  }
  return zero;
}

/** Pushes a raw mutation and returns the server's verdict. */
async function push(email: string, call: (m: typeof tamperedMutators) => ReturnType<typeof tamperedMutators.location.create>) {
  const result = await attacker(email).mutate(call(tamperedMutators)).server;
  return result.type === 'success' ? { ok: true as const } : { ok: false as const, ...result.error };
}

// Refusals are audited too (outcome denied or failed); these count what was done.
const auditCount = async (entityId: string) =>
  Number((await stack.admin`select count(*)::int as n from audit_log where entity_id = ${entityId} and outcome = 'success'`)[0]?.n);
const location = async (id: string) => (await stack.admin`select * from locations where id = ${id}`)[0];

describe('mutations with a valid token of the wrong principal', () => {
  it('rejects invalid arguments with INVALID_INPUT and writes nothing', async () => {
    const id = randomUUID();
    const verdict = await push('admin@alpha.test', (m) =>
      m.location.create({ writeId: randomUUID(), id, name: '', slug: 'Not A Slug!' } as never));
    expect(verdict).toMatchObject({ ok: false, type: 'app', details: { code: 'INVALID_INPUT' } });
    expect(await location(id)).toBeUndefined();
    expect(await auditCount(id)).toBe(0);
    const noIds = await push('admin@alpha.test', (m) => m.location.update({ name: 'x' } as never));
    expect(noIds).toMatchObject({ ok: false, details: { code: 'INVALID_INPUT' } });
  });

  it("answers NOT_FOUND for another clinic's location and leaves it untouched", async () => {
    const before = await location(ids.alphaOpen);
    const rename = await push('admin@beta.test', (m) =>
      m.location.update({ writeId: randomUUID(), id: ids.alphaOpen, name: 'Pwned' } as never));
    expect(rename).toMatchObject({ ok: false, type: 'app', details: { code: 'NOT_FOUND' } });
    const close = await push('admin@beta.test', (m) =>
      m.location.setStatus({ writeId: randomUUID(), id: ids.alphaOpen, status: 'closed' } as never));
    expect(close).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    // The same answer as for an id that does not exist at all: nothing to probe.
    const missing = await push('admin@beta.test', (m) =>
      m.location.update({ writeId: randomUUID(), id: randomUUID(), name: 'Ghost' } as never));
    expect(missing).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    expect(await location(ids.alphaOpen)).toEqual(before);
    expect(await auditCount(ids.alphaOpen)).toBe(0);
  });

  it('ignores an organisation id smuggled into the arguments', async () => {
    const id = randomUUID();
    const verdict = await push('admin@beta.test', (m) =>
      m.location.create({ writeId: randomUUID(), id, name: 'Planted', slug: 'planted', organizationId: ids.alpha } as never));
    expect(verdict).toEqual({ ok: true });
    expect((await location(id))?.organization_id).toBe(ids.beta);
  });

  it('lets staff read but not manage locations', async () => {
    const verdict = await push('staff@beta.test', (m) =>
      m.location.update({ writeId: randomUUID(), id: ids.betaOpen, name: 'Staff edit' } as never));
    expect(verdict).toMatchObject({ ok: false, details: { code: 'FORBIDDEN' } });
    expect((await location(ids.betaOpen))?.name).toBe('Beta open');
  });

  it('refuses organisation-create to everyone but a superadmin', async () => {
    for (const email of ['admin@alpha.test', 'help@platform.test']) {
      const id = randomUUID();
      const verdict = await push(email, (m) => m.organization.create({ writeId: randomUUID(), id, name: 'Rogue', slug: `rogue-${id.slice(0, 8)}` } as never));
      expect(verdict, email).toMatchObject({ ok: false, details: { code: 'FORBIDDEN' } });
      expect((await stack.admin`select id from organizations where id = ${id}`).length).toBe(0);
    }
    const id = randomUUID();
    const verdict = await push('root@platform.test', (m) => m.organization.create({ writeId: randomUUID(), id, name: 'New clinic', slug: 'new-clinic' } as never));
    expect(verdict).toEqual({ ok: true });
    expect(await auditCount(id)).toBe(1);
  });

  it('rejects closing a closed location and reopening one, with a reason', async () => {
    const close = await push('admin@alpha.test', (m) =>
      m.location.setStatus({ writeId: randomUUID(), id: ids.alphaClosed, status: 'closed' } as never));
    expect(close).toMatchObject({ ok: false, details: { code: 'LOCATION_CLOSED' } });
    const reopen = await push('admin@alpha.test', (m) =>
      m.location.setStatus({ writeId: randomUUID(), id: ids.alphaClosed, status: 'active' } as never));
    expect(reopen).toMatchObject({ ok: false, details: { code: 'LOCATION_CLOSED' } });
    expect(String(reopen.ok ? '' : reopen.message)).not.toMatch(/violat|constraint|locations|trigger/i);
    expect((await location(ids.alphaClosed))?.status).toBe('closed');
  });

  it('never shows Postgres text, even for a constraint only the database enforces', async () => {
    const verdict = await push('admin@alpha.test', (m) =>
      m.location.create({ writeId: randomUUID(), id: randomUUID(), name: 'Twin', slug: 'open' } as never));
    expect(verdict).toMatchObject({ ok: false, details: { code: 'SLUG_TAKEN' } });
    expect(JSON.stringify(verdict)).not.toMatch(/duplicate key|violates|locations_slug_key|PostgresError/);
  });

  it('applies a write id once, however often it is replayed', async () => {
    const writeId = randomUUID();
    for (let attempt = 0; attempt < 3; attempt++) {
      const verdict = await push('admin@alpha.test', (m) =>
        m.location.update({ writeId, id: ids.alphaOpen, name: `Renamed ${String(attempt)}` } as never));
      expect(verdict).toEqual({ ok: true });
    }
    expect((await location(ids.alphaOpen))?.name).toBe('Renamed 0');
    expect(Number((await stack.admin`select count(*)::int as n from audit_log where write_id = ${writeId}`)[0]?.n)).toBe(1);
  });
});

describe('queries with another clinic in the arguments', () => {
  it("returns nothing for another clinic's location id", async () => {
    const zero = attacker('admin@beta.test');
    expect(await zero.run(queries.clinic.location(ids.alphaOpen), { type: 'complete' })).toBeUndefined();
    expect((await zero.run(queries.clinic.location(ids.betaOpen), { type: 'complete' }))?.name).toBeDefined();
  });

  it('gives the console list to platform operators only', async () => {
    expect(await attacker('admin@alpha.test').run(queries.console.organizations(), { type: 'complete' })).toEqual([]);
    expect((await attacker('help@platform.test').run(queries.console.organizations(), { type: 'complete' })).length).toBeGreaterThanOrEqual(2);
  });
});

describe('the Zero endpoints over HTTP', () => {
  const post = (path: string, headers: Record<string, string>) =>
    fetch(`${stack.origin}${path}?schema=x_0&appID=x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(['transform', []]),
    });

  it('refuse callers without the API key', async () => {
    const token = sessions.get('admin@alpha.test')?.token ?? '';
    const response = await post('/api/zero/query', { authorization: `Bearer ${token}` });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('FORBIDDEN');
    expect(body.error.requestId).toMatch(/.{8,}/);
  });

  it('refuse forged, expired and missing tokens with 401', async () => {
    const apiKey = stack.config.ZERO_API_KEY;
    const forged = await new SignJWT({ org: ids.alpha }).setProtectedHeader({ alg: 'HS256' })
      .setSubject(sessions.get('admin@alpha.test')?.context.principalId ?? '').setIssuer('restartix-core-api')
      .setAudience('restartix').setExpirationTime('1h').sign(new TextEncoder().encode('not-the-server-secret-0123456789abcdef'));
    const expired = await new SignJWT({ org: ids.alpha }).setProtectedHeader({ alg: 'HS256' })
      .setSubject(sessions.get('admin@alpha.test')?.context.principalId ?? '').setIssuer('restartix-core-api')
      .setAudience('restartix').setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(stack.config.AUTH_TOKEN_SECRET));
    for (const authorization of [`Bearer ${forged}`, `Bearer ${expired}`, '']) {
      const response = await post('/api/zero/mutate', { 'x-api-key': apiKey, authorization });
      expect(response.status, authorization.slice(0, 20)).toBe(401);
    }
  });

  it('refuse a token whose membership has since been removed', async () => {
    const session = await stack.login('staff@alpha.test');
    await stack.admin`delete from memberships where principal_id = ${session.context.principalId}`;
    const response = await fetch(`${stack.origin}/api/session`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(response.status).toBe(401);
  });

  it('answer malformed JSON and unknown routes in the one error envelope', async () => {
    const malformed = await fetch(`${stack.origin}/api/dev/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'INVALID_INPUT', requestId: expect.any(String) as string } });
    const unknown = await fetch(`${stack.origin}/api/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const noAccount = await fetch(`${stack.origin}/api/dev/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ghost@nowhere.test' }) });
    expect(noAccount.status).toBe(401);
  });

  it('refuse legacy CRUD pushes even from the sync engine itself', async () => {
    const session = sessions.get('admin@alpha.test');
    const response = await fetch(`${stack.origin}/api/zero/mutate?schema=${stack.config.ZERO_APP_ID}_0&appID=${stack.config.ZERO_APP_ID}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': stack.config.ZERO_API_KEY, authorization: `Bearer ${session?.token ?? ''}` },
      body: JSON.stringify({
        clientGroupID: randomUUID(), pushVersion: 1, timestamp: Date.now(), requestID: randomUUID(),
        mutations: [{
          type: 'crud', id: 1, clientID: randomUUID(), name: '_zero_crud', timestamp: Date.now(),
          args: [{ ops: [{ op: 'update', tableName: 'locations', primaryKey: ['id'], value: { id: ids.alphaOpen, name: 'CRUD' } }] }],
        }],
      }),
    });
    expect(await response.json()).toMatchObject({ kind: 'PushFailed', message: 'Expected custom mutation' });
    expect((await location(ids.alphaOpen))?.name).not.toBe('CRUD');
  });

  it('do not expose zero-cache admin pages through the gateway', async () => {
    expect((await fetch(`${stack.origin}/zero/statz`)).status).toBe(404);
  });
});

describe('/api/v1 on the running platform', () => {
  // The attacks on these routes are in server/api-v1/*.pg.test.ts; this checks server/app.ts serves them.
  const api = async (method: string, path: string, credential: string, body?: unknown) => {
    const response = await fetch(`${stack.origin}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${credential}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, Record<string, unknown> | undefined> };
  };

  it("mints a test key that reads its own clinic's locations, gets 404 for another's and cannot mint keys", async () => {
    const token = sessions.get('admin@alpha.test')?.token ?? '';
    const account = await api('POST', '/service-accounts', token, { name: 'Booking sync' });
    expect(account.status).toBe(201);
    const created = await api('POST', `/service-accounts/${String(account.body.serviceAccount?.id)}/api-keys`, token, { name: 'Main', permissions: ['locations.read'] });
    expect(created.status).toBe(201);
    const key = String(created.body.apiKey?.key);
    expect(key).toMatch(/^rx_test_/);
    const list = await api('GET', '/locations', key);
    expect(list.status).toBe(200);
    const listed = (list.body.locations as unknown as { id: string }[]).map((row) => row.id);
    expect(listed).toEqual(expect.arrayContaining([ids.alphaOpen, ids.alphaClosed]));
    expect(listed).not.toContain(ids.betaOpen);
    expect((await api('GET', `/locations/${ids.betaOpen}`, key)).status).toBe(404);
    expect((await api('POST', '/service-accounts', key, { name: 'Escalation' })).status).toBe(403);
  });
});
