import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal } from '../../infra/test/database.ts';
import { mailsTo } from '../../infra/test/real-people.ts';
import { startTestStack, type Session, type TestStack } from '../../infra/test/test-stack.ts';
import { addMembership, createHuman, createOrganization, createPatient } from '../../seeds/factories.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import type { ExportDocument } from './collect-export.ts';

/**
 * Data-subject requests on the whole stack, mostly from the attacker's side: the patient asks, each
 * clinic concerned decides its own, nobody else reads or decides them, a decision is final, a decline
 * says why, the export is the asker's alone and only for a while, and erasure deletes the clinic's
 * record. Mail goes through the outbox to the people who can decide, and to the patient.
 */

let stack: TestStack;
const ids = {} as Record<'alpha' | 'beta' | 'empty' | 'ilinca' | 'sorin' | 'ilincaAlpha' | 'ilincaBeta' | 'owner', string>;
const sessions = {} as Record<'ilinca' | 'sorin' | 'owner' | 'receptionist' | 'staff' | 'adminBeta' | 'root', Session>;

async function seed(sql: Sql): Promise<void> {
  ids.alpha = await createOrganization(sql, { slug: 'alpha', name: 'Clinica Alpha' });
  ids.beta = await createOrganization(sql, { slug: 'beta', name: 'Clinica Beta' });
  ids.empty = await createOrganization(sql, { slug: 'empty', name: 'Clinica Goala' });
  const member = async (email: string, org: string, role: 'owner' | 'admin' | 'receptionist' | 'staff') => {
    const id = await createHuman(sql, { email, name: email.split('@')[0] ?? email, locale: 'en' });
    await addMembership(sql, org, id, role);
    return id;
  };
  ids.owner = await member('owner@alpha.test', ids.alpha, 'owner');
  await member('reception@alpha.test', ids.alpha, 'receptionist');
  await member('staff@alpha.test', ids.alpha, 'staff');
  await member('admin@beta.test', ids.beta, 'admin');
  await createHuman(sql, { email: 'root@platform.test', name: 'Root', platformRole: 'superadmin' });
  ids.ilinca = await createHuman(sql, { email: 'ilinca@people.test', name: 'Ilinca Vasilescu', locale: 'ro' });
  ids.sorin = await createHuman(sql, { email: 'sorin@people.test', name: 'Sorin Munteanu', locale: 'en' });
  ids.ilincaAlpha = (await createPatient(sql, ids.alpha, { principalId: ids.ilinca, givenName: 'Ilinca', familyName: 'Vasilescu', phone: '+40 721 000 111', createdBy: ids.ilinca })).patientId;
  ids.ilincaBeta = (await createPatient(sql, ids.beta, { principalId: ids.ilinca, givenName: 'Ilinca', familyName: 'Vasilescu', createdBy: ids.ilinca })).patientId;
  await createPatient(sql, ids.alpha, { principalId: ids.sorin, givenName: 'Sorin', familyName: 'Munteanu', createdBy: ids.sorin });
}

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), seed);
  sessions.ilinca = await stack.login('ilinca@people.test');
  sessions.sorin = await stack.login('sorin@people.test');
  sessions.owner = await stack.login('owner@alpha.test', ids.alpha);
  sessions.receptionist = await stack.login('reception@alpha.test', ids.alpha);
  sessions.staff = await stack.login('staff@alpha.test', ids.alpha);
  sessions.adminBeta = await stack.login('admin@beta.test', ids.beta);
  sessions.root = await stack.login('root@platform.test');
}, 120_000);
afterAll(async () => { await stack.stop(); });

type Reply = { status: number; body: Record<string, unknown> & { error?: { code: string } }; text: string; headers: Headers };
async function api(who: Session, method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${stack.origin}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${who.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: Reply['body'] = {};
  try { parsed = JSON.parse(text) as Reply['body']; } catch { /* a file */ }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

type Mine = { id: string; organizationId: string; organizationName: string; kind: string; status: string; reason: string | null; exportAvailableUntil: string | null };
type Queued = { id: string; kind: string; status: string; patientName: string | null; canDecide: boolean };
const mine = async (who: Session) => (await api(who, 'GET', '/me/data-requests')).body.dataRequests as Mine[];
const queue = async (who: Session) => (await api(who, 'GET', '/data-requests')).body.dataRequests as Queued[];
const requestOf = async (kind: string, org: string) => {
  const found = (await mine(sessions.ilinca)).find((request) => request.kind === kind && request.organizationId === org && request.status === 'requested');
  if (found === undefined) throw new Error(`no open ${kind} request to ${org}`);
  return found.id;
};
const auditActions = async (org: string) =>
  (await stack.admin<{ action: string; actor_principal_id: string; changes: Record<string, unknown> }[]>`
    select action, actor_principal_id, changes from audit_log where organization_id = ${org} and action like 'data_request.%' order by chain_seq`);

describe('asking', () => {
  it('sends one request to each clinic that holds a live record of the patient, and asking again finds the open ones', async () => {
    const asked = await api(sessions.ilinca, 'POST', '/me/data-requests', { kind: 'export' });
    expect(asked.status).toBe(201);
    const requests = asked.body.dataRequests as Mine[];
    expect(requests.map((request) => [request.organizationName, request.kind, request.status]).sort()).toEqual([
      ['Clinica Alpha', 'export', 'requested'], ['Clinica Beta', 'export', 'requested'],
    ]);
    expect(((await api(sessions.ilinca, 'POST', '/me/data-requests', { kind: 'export' })).body.dataRequests as Mine[]).length).toBe(2);
    expect(await auditActions(ids.alpha)).toEqual([expect.objectContaining({ action: 'data_request.requested', actor_principal_id: ids.ilinca })]);
  });

  it('tells the clinic members who can decide, by mail, and nobody else', async () => {
    expect((await mailsTo(stack, 'owner@alpha.test')).map((mail) => mail.subject)).toEqual(['Data export request at Clinica Alpha']);
    expect((await mailsTo(stack, 'reception@alpha.test')).length).toBe(1);
    expect((await mailsTo(stack, 'admin@beta.test')).map((mail) => mail.subject)).toEqual(['Data export request at Clinica Beta']);
    expect(await mailsTo(stack, 'staff@alpha.test')).toEqual([]);
    expect(await mailsTo(stack, 'ilinca@people.test')).toEqual([]);
  });

  it('refuses a clinic that holds no record of the person, and a kind that does not exist', async () => {
    expect((await api(sessions.ilinca, 'POST', '/me/data-requests', { kind: 'export', organizationId: ids.empty })).status).toBe(404);
    expect((await api(sessions.ilinca, 'POST', '/me/data-requests', { kind: 'rectification' })).status).toBe(400);
  });

  it('cannot be forged in the database: a request about someone else, or already decided', async () => {
    const sorin: AuthContext = { principalId: ids.sorin, organizationId: null, membershipRole: null, platformRole: null };
    const forged = asPrincipal(stack.api, sorin, (tx) => tx`insert into data_subject_requests (organization_id, patient_id, requested_by, kind, updated_by)
      values (${ids.alpha}, ${ids.ilincaAlpha}, ${ids.sorin}, 'erasure', ${ids.sorin})`);
    await expect(forged).rejects.toMatchObject({ code: '42501' });
    const ilinca: AuthContext = { principalId: ids.ilinca, organizationId: null, membershipRole: null, platformRole: null };
    const selfGranted = await asPrincipal(stack.api, ilinca, (tx) => tx`update data_subject_requests set status = 'fulfilled', decided_by = ${ids.ilinca}, updated_by = ${ids.ilinca}
      where requested_by = ${ids.ilinca} returning id`);
    expect(selfGranted).toEqual([]);
  });
});

describe('who sees and decides', () => {
  it("shows a patient only their own requests, and a clinic only its own", async () => {
    expect(await mine(sessions.sorin)).toEqual([]);
    expect((await queue(sessions.adminBeta)).map((request) => request.patientName)).toEqual(['Ilinca Vasilescu']);
    expect((await queue(sessions.receptionist)).map((request) => [request.patientName, request.canDecide])).toEqual([['Ilinca Vasilescu', true]]);
  });

  it('refuses the queue and decisions to members without patients.manage, another clinic and platform operators', async () => {
    const alphaExport = await requestOf('export', ids.alpha);
    expect((await api(sessions.staff, 'GET', '/data-requests')).status).toBe(403);
    expect((await api(sessions.staff, 'POST', `/data-requests/${alphaExport}/decision`, { outcome: 'fulfilled' })).status).toBe(403);
    expect((await api(sessions.adminBeta, 'POST', `/data-requests/${alphaExport}/decision`, { outcome: 'fulfilled' })).status).toBe(404);
    expect((await api(sessions.root, 'GET', '/data-requests')).status).toBe(403);
    expect((await api(sessions.root, 'POST', `/data-requests/${alphaExport}/decision`, { outcome: 'declined', reason: 'no' })).status).toBe(403);
    expect((await api(sessions.ilinca, 'POST', `/data-requests/${alphaExport}/decision`, { outcome: 'fulfilled' })).status).toBe(403);
    expect((await mine(sessions.ilinca)).every((request) => request.status === 'requested')).toBe(true);
  });

  it('needs a reason to decline', async () => {
    const betaExport = await requestOf('export', ids.beta);
    for (const body of [{ outcome: 'declined' }, { outcome: 'declined', reason: '   ' }]) {
      const refused = await api(sessions.adminBeta, 'POST', `/data-requests/${betaExport}/decision`, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error?.code).toBe('INVALID_INPUT');
    }
    const declined = await api(sessions.adminBeta, 'POST', `/data-requests/${betaExport}/decision`, { outcome: 'declined', reason: 'We hold no data beyond your profile.' });
    expect(declined.body.dataRequest).toMatchObject({ status: 'declined', reason: 'We hold no data beyond your profile.' });
    expect((await mine(sessions.ilinca)).find((request) => request.id === betaExport)).toMatchObject({ status: 'declined', reason: 'We hold no data beyond your profile.' });
    // The audit log records the decision, never the reason's words.
    expect((await auditActions(ids.beta)).at(-1)).toMatchObject({ action: 'data_request.declined', changes: { kind: 'export', reason: '[personal]' } });
  });
});

describe('the export', () => {
  let exportId = '';

  it('is produced when the clinic fulfils the request, once: a decided request stays decided', async () => {
    exportId = await requestOf('export', ids.alpha);
    const fulfilled = await api(sessions.receptionist, 'POST', `/data-requests/${exportId}/decision`, { outcome: 'fulfilled' });
    expect(fulfilled.status).toBe(200);
    expect(fulfilled.body.dataRequest).toMatchObject({ status: 'fulfilled', reason: null });
    const again = await api(sessions.owner, 'POST', `/data-requests/${exportId}/decision`, { outcome: 'declined', reason: 'changed our mind' });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('INVALID_TRANSITION');
    const stored = await stack.admin<{ content: string }[]>`select content from data_subject_exports where id = ${exportId}`;
    expect(stored[0]?.content).toMatch(/^v1\./);
    expect(stored[0]?.content).not.toContain('Ilinca');
  });

  it('tells the patient by mail', async () => {
    const mails = await mailsTo(stack, 'ilinca@people.test');
    expect(mails.map((mail) => mail.subject).sort()).toEqual(['Clinica Alpha a răspuns la cererea dumneavoastră', 'Clinica Beta a răspuns la cererea dumneavoastră']);
    expect(mails.some((mail) => mail.text.includes('We hold no data'))).toBe(false);
  });

  it('downloads as JSON and as HTML for the person who asked, each download audited', async () => {
    const json = await api(sessions.ilinca, 'POST', `/me/data-requests/${exportId}/export`, { format: 'json' });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(/^attachment; filename="restartix-export-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(json.headers.get('cache-control')).toBe('no-store');
    const document = JSON.parse(json.text) as ExportDocument;
    expect(document.organization).toEqual({ id: ids.alpha, name: 'Clinica Alpha' });
    expect(document.tables.patient_profiles?.[0]).toMatchObject({ given_name: 'Ilinca', family_name: 'Vasilescu', phone: '+40 721 000 111' });
    expect(document.tables.patients?.map((row) => row.id)).toEqual([ids.ilincaAlpha]);
    expect(json.text).not.toContain('Sorin');
    const html = await api(sessions.ilinca, 'POST', `/me/data-requests/${exportId}/export`, { format: 'html', locale: 'ro' });
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.text).toContain('Datele dumneavoastră deținute de Clinica Alpha');
    expect(html.text).toContain('Vasilescu');
    const downloads = (await auditActions(ids.alpha)).filter((entry) => entry.action === 'data_request.export_downloaded');
    expect(downloads).toEqual([
      expect.objectContaining({ actor_principal_id: ids.ilinca, changes: { format: 'json' } }),
      expect.objectContaining({ actor_principal_id: ids.ilinca, changes: { format: 'html' } }),
    ]);
  });

  it('is nobody else’s: not another patient’s, not the clinic’s that made it, not a platform operator’s', async () => {
    for (const who of [sessions.sorin, sessions.receptionist, sessions.owner, sessions.root]) {
      expect((await api(who, 'POST', `/me/data-requests/${exportId}/export`, { format: 'json' })).status).toBe(404);
    }
  });

  it('expires: past its availability it is neither offered nor served', async () => {
    await stack.admin`update data_subject_exports set available_until = now() - interval '1 second' where id = ${exportId}`;
    expect((await mine(sessions.ilinca)).find((request) => request.id === exportId)?.exportAvailableUntil).toBeNull();
    expect((await api(sessions.ilinca, 'POST', `/me/data-requests/${exportId}/export`, { format: 'json' })).status).toBe(404);
    // What the maintenance job runs: the runtime role, no principal.
    const [purged] = await stack.admin.begin(async (tx) => {
      await tx`set local role restartix_app`;
      return tx<{ removed: number }[]>`select app_purge_expired_data_exports() as removed`;
    });
    expect(purged?.removed).toBe(1);
    expect(await stack.admin`select 1 from data_subject_exports where id = ${exportId}`).toEqual([]);
  });
});

describe('erasure', () => {
  let erasureId = '';

  it('is decided only by members who may delete patient records', async () => {
    await api(sessions.ilinca, 'POST', '/me/data-requests', { kind: 'erasure', organizationId: ids.alpha });
    erasureId = await requestOf('erasure', ids.alpha);
    expect((await queue(sessions.receptionist)).find((request) => request.id === erasureId)?.canDecide).toBe(false);
    expect((await api(sessions.receptionist, 'POST', `/data-requests/${erasureId}/decision`, { outcome: 'fulfilled' })).status).toBe(403);
    const [record] = await stack.admin<{ deleted_at: Date | null }[]>`select deleted_at from patients where id = ${ids.ilincaAlpha}`;
    expect(record?.deleted_at).toBeNull();
  });

  it("deletes the clinic's record and nothing of another clinic's; the person still sees the answer", async () => {
    const fulfilled = await api(sessions.owner, 'POST', `/data-requests/${erasureId}/decision`, { outcome: 'fulfilled' });
    expect(fulfilled.status).toBe(200);
    const records = await stack.admin<{ id: string; deleted_by: string | null }[]>`select id, deleted_by from patients where principal_id = ${ids.ilinca} order by organization_id = ${ids.alpha} desc`;
    expect(records).toEqual([{ id: ids.ilincaAlpha, deleted_by: ids.owner }, { id: ids.ilincaBeta, deleted_by: null }]);
    expect((await mine(sessions.ilinca)).find((request) => request.id === erasureId)).toMatchObject({ status: 'fulfilled', organizationName: 'Clinica Alpha' });
    expect((await queue(sessions.owner)).find((request) => request.id === erasureId)).toMatchObject({ status: 'fulfilled', patientName: null });
    // Nothing is left to ask alpha about.
    expect((await api(sessions.ilinca, 'POST', '/me/data-requests', { kind: 'export', organizationId: ids.alpha })).status).toBe(404);
    const actions = (await stack.admin<{ action: string }[]>`select action from audit_log where organization_id = ${ids.alpha} and entity_id = ${ids.ilincaAlpha}`).map((row) => row.action);
    expect(actions).toContain('patient.deleted');
  });
});
