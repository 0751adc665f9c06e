import { randomUUID } from 'node:crypto';
import { defineMutator, defineMutators } from '@rocicorp/zero';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal } from '../../infra/test/database.ts';
import { linkIn, mailsTo, signUpForReal } from '../../infra/test/real-people.ts';
import { tamperedClients } from '../../infra/test/tampered-clients.ts';
import { startTestStack, type Session, type TestStack } from '../../infra/test/test-stack.ts';
import type { AuthContext } from '../../sync-rules/context.ts';
import { queries } from '../../sync-rules/queries.ts';
import { seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import { purgeDeletedPatients } from './purge-deleted-patients.ts';

/**
 * Patient records through the real mutate path (from a client whose mutators do nothing, as a
 * tampered client's would, so every argument reaches the server), their soft delete, trash, restore
 * and purge, and linking a clinic's record to the person's account without a duplicate.
 */
const noop = defineMutator(() => Promise.resolve());
const tampered = defineMutators({ patient: { create: noop, update: noop, delete: noop }, profile: { update: noop } });

const fx = {} as Fixture;
let stack: TestStack;
let clients: ReturnType<typeof tamperedClients<typeof tampered>>;
const sessions: Record<string, Session> = {};

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), (sql) => seedTwoClinics(sql, fx));
  clients = tamperedClients(stack.origin, tampered);
  for (const [name, email, org] of [
    ['ownerAlpha', 'owner@alpha.test', fx.alpha], ['adminAlpha', 'admin@alpha.test', fx.alpha], ['staffAlpha', 'staff@alpha.test', fx.alpha],
    ['specialistAlpha', 'specialist@alpha.test', fx.alpha], ['adminBeta', 'admin@beta.test', fx.beta],
  ] as const) sessions[name] = await stack.login(email, org);
});
afterAll(async () => {
  await clients.close();
  await stack.stop();
});

const push = (session: Session, call: (m: typeof tampered) => unknown) => clients.push(session, call);

const as = (name: string): Session => {
  const session = sessions[name];
  if (session === undefined) throw new Error(`no session ${name}`);
  return session;
};
const w = () => randomUUID();
const complete = { type: 'complete' } as const;

/** What the clinic's synced query returns for a record (undefined when hidden). */
async function synced(session: Session, id: string) {
  const zero = stack.zeroAs(session);
  try {
    return await zero.run(queries.clinic.patient(id), complete);
  } finally {
    await zero.close();
  }
}

async function register(session: Session, details: Record<string, unknown> = {}) {
  const id = randomUUID();
  const profileId = randomUUID();
  const verdict = await push(session, (m) => m.patient.create({ writeId: w(), id, profileId, givenName: 'Elena', familyName: `Pop ${id.slice(0, 6)}`, ...details } as never));
  return { id, profileId, verdict };
}

type Reply = { status: number; body: Record<string, unknown> & { error?: { code: string } } };
async function api(method: string, path: string, token: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${stack.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Reply['body']) };
}
const errorOf = (reply: Reply) => ({ status: reply.status, code: reply.body.error?.code });
const trash = async (name: string) => (await api('GET', '/api/v1/patients/deleted', as(name).token)).body.patients as { id: string; familyName: string | null }[];
/** What was done to a record; refusals are audited too, with the error code they got. */
const auditOf = async (entityId: string) =>
  await stack.admin<{ action: string; changes: Record<string, unknown> }[]>`
    select action, changes from audit_log where entity_id = ${entityId} and outcome = 'success' order by id`;
const refusalsOf = async (entityId: string) =>
  (await stack.admin<{ entry: string }[]>`
    select action || ':' || error_code as entry from audit_log where entity_id = ${entityId} and outcome <> 'success' order by id`).map((row) => row.entry);

/** Moves a record's deletion into the past, below the guard trigger (a fixture, not a request). */
async function backdateDeletion(id: string, days: number): Promise<void> {
  await stack.admin.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`update patients set deleted_at = now() - make_interval(days => ${days}) where id = ${id}`;
  });
}

describe('a clinic registers its patients', () => {
  it('a specialist registers one; the clinic sees record and profile, the audit keeps no name, another clinic sees nothing', async () => {
    const { id, verdict } = await register(as('specialistAlpha'), { birthDate: Date.UTC(1980, 4, 17), phone: '+40 721 000 111', email: 'elena@example.test' });
    expect(verdict).toEqual({ ok: true });
    await expect.poll(() => synced(as('adminAlpha'), id)).toMatchObject({ id, organizationId: fx.alpha, status: 'active', profile: { givenName: 'Elena', birthDate: Date.UTC(1980, 4, 17), phone: '+40 721 000 111' } });
    expect(await synced(as('adminBeta'), id)).toBeUndefined();
    const [created] = await auditOf(id);
    expect(created).toMatchObject({ action: 'patient.created', changes: { givenName: '[personal]', familyName: '[personal]', phone: '[personal]', email: '[personal]' } });
  });

  it('refuses a member who may not manage patients, and bad details with the field named', async () => {
    expect((await register(as('staffAlpha'))).verdict).toMatchObject({ ok: false, details: { code: 'FORBIDDEN' } });
    for (const details of [{ birthDate: Date.UTC(2100, 0, 1) }, { birthDate: Date.UTC(1980, 1, 1) + 3600_000 }, { phone: 'call me' }, { email: 'nope' }, { givenName: '  ' }]) {
      const { id, verdict } = await register(as('specialistAlpha'), details);
      expect(verdict, JSON.stringify(details)).toMatchObject({ ok: false, details: { code: 'INVALID_INPUT', issues: [{ path: [Object.keys(details)[0]] }] } });
      expect(await stack.admin`select 1 from patients where id = ${id}`).toHaveLength(0);
    }
  });

  it('another clinic cannot change or delete the record, even knowing its id', async () => {
    const { id } = await register(as('adminAlpha'));
    expect(await push(as('adminBeta'), (m) => m.patient.update({ writeId: w(), id, status: 'inactive' } as never))).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    expect(await push(as('adminBeta'), (m) => m.patient.delete({ writeId: w(), id } as never))).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    expect(await stack.admin`select 1 from patients where id = ${id} and status = 'active' and deleted_at is null`).toHaveLength(1);
  });

  it('edits the details of a person without an account; the status and reference of the record', async () => {
    const { id } = await register(as('specialistAlpha'));
    expect(await push(as('specialistAlpha'), (m) => m.patient.update({ writeId: w(), id, status: 'inactive', externalRef: 'FK-0042', person: { familyName: 'Popescu', sex: 'female' } } as never))).toEqual({ ok: true });
    await expect.poll(() => synced(as('adminAlpha'), id)).toMatchObject({ status: 'inactive', externalRef: 'FK-0042', profile: { familyName: 'Popescu', sex: 'female', givenName: 'Elena' } });
  });
});

describe('deleting a patient record', () => {
  it('hides it from sync and RLS at once; the trash lists it for who may delete; a restore brings it back', async () => {
    const { id } = await register(as('specialistAlpha'));
    expect(await push(as('specialistAlpha'), (m) => m.patient.delete({ writeId: w(), id } as never))).toMatchObject({ ok: false, details: { code: 'FORBIDDEN' } });
    expect(await push(as('adminAlpha'), (m) => m.patient.delete({ writeId: w(), id } as never))).toEqual({ ok: true });
    // Replication reaches zero-cache a moment after the commit.
    await expect.poll(() => synced(as('adminAlpha'), id)).toBeUndefined();
    const underRls = await asPrincipal(stack.api, as('adminAlpha').context, async (tx) => ({
      records: (await tx`select id from patients where id = ${id}`).length,
      // Asking for the trash's setting without going through the trash shows no more to a non-deleter.
      specialist: 0,
    }));
    expect(underRls.records).toBe(0);
    const specialistTries = await asPrincipal(stack.api, as('specialistAlpha').context, async (tx) => {
      await tx`select set_config('app.patients_deleted', 'visible', true)`;
      return (await tx`select id from patients where id = ${id}`).length;
    });
    expect(specialistTries).toBe(0);
    // Frozen while deleted: nothing changes it until it is restored.
    expect(await push(as('adminAlpha'), (m) => m.patient.update({ writeId: w(), id, status: 'inactive' } as never))).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });

    expect((await trash('adminAlpha')).map((p) => p.id)).toContain(id);
    expect((await trash('adminAlpha')).find((p) => p.id === id)?.familyName).toMatch(/^Pop /);
    expect(errorOf(await api('GET', '/api/v1/patients/deleted', as('specialistAlpha').token))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await trash('adminBeta')).map((p) => p.id)).not.toContain(id);
    expect(errorOf(await api('POST', `/api/v1/patients/${id}/restore`, as('adminBeta').token))).toEqual({ status: 404, code: 'NOT_FOUND' });

    expect((await api('POST', `/api/v1/patients/${id}/restore`, as('adminAlpha').token)).body).toEqual({ patient: { id } });
    await expect.poll(() => synced(as('adminAlpha'), id)).toMatchObject({ id, profile: { givenName: 'Elena' } });
    expect((await auditOf(id)).map((entry) => entry.action)).toEqual(['patient.created', 'patient.deleted', 'patient.restored']);
    expect(await refusalsOf(id)).toEqual(['patient.deleted:FORBIDDEN', 'patient.updated:NOT_FOUND']);
  });

  it('past the retention window cannot be restored, and the purge removes the record and its unclaimed profile', async () => {
    const old = await register(as('adminAlpha'));
    const recent = await register(as('adminAlpha'));
    for (const { id } of [old, recent]) expect(await push(as('adminAlpha'), (m) => m.patient.delete({ writeId: w(), id } as never))).toEqual({ ok: true });
    await backdateDeletion(old.id, 31);
    await backdateDeletion(recent.id, 2);
    expect(errorOf(await api('POST', `/api/v1/patients/${old.id}/restore`, as('adminAlpha').token))).toEqual({ status: 410, code: 'PATIENT_RETENTION_EXPIRED' });
    expect((await trash('adminAlpha')).map((p) => p.id)).not.toContain(old.id);

    const { purged } = await purgeDeletedPatients({ sql: stack.api, retentionDays: 30 });
    expect(purged).toEqual([{ id: old.id, organizationId: fx.alpha }]);
    expect(await stack.admin`select 1 from patients where id = ${old.id}`).toHaveLength(0);
    expect(await stack.admin`select 1 from patient_profiles where id = ${old.profileId}`).toHaveLength(0);
    expect(await stack.admin`select 1 from patients where id = ${recent.id}`).toHaveLength(1);
    expect((await auditOf(old.id)).map((entry) => entry.action)).toEqual(['patient.created', 'patient.deleted', 'patient.purged']);
    // However it is called, nothing deleted less than a day ago goes.
    await expect(stack.api.begin(async (tx) => {
      await tx.unsafe('set local role restartix_app');
      await tx`select * from app_purge_next_patient(interval '1 hour')`;
    })).rejects.toThrow(/at least a day/);
  });
});

describe('raw SQL as the runtime role, from the attacker\'s side', () => {
  const betaAdmin = (): AuthContext => as('adminBeta').context;

  it('cannot record another clinic\'s patient (by profile id) as its own, shared or not', async () => {
    const { profileId } = await register(as('adminAlpha'));
    for (const shared of [true, false]) {
      await expect(asPrincipal(stack.api, betaAdmin(), async (tx) => {
        await tx`insert into patients (organization_id, patient_profile_id, profile_shared_at, created_by, updated_by)
          values (${fx.beta}, ${profileId}, ${shared ? new Date() : null}, ${betaAdmin().principalId}, ${betaAdmin().principalId})`;
        await tx`set constraints patients_person_check immediate`;
      })).rejects.toThrow(/records only a person it created or who joined it/);
    }
  });

  it('cannot share a profile, move a record to another person, or erase a record', async () => {
    const { id } = await register(as('adminAlpha'));
    const admin = as('adminAlpha').context;
    for (const statement of [
      `update patients set profile_shared_at = now() where id = '${id}'`,
      `update patients set patient_profile_id = gen_random_uuid() where id = '${id}'`,
      `update patients set principal_id = '${admin.principalId}' where id = '${id}'`,
      `delete from patients where id = '${id}'`,
    ]) {
      await expect(asPrincipal(stack.api, admin, async (tx) => {
        await tx`select set_config('app.patient_linking', 'on', true), set_config('app.patient_sharing', 'on', true)`;
        await tx.unsafe(statement);
      }), statement).rejects.toThrow(/permission denied/);
    }
  });

  it('cannot soft-delete without patients.delete, nor hide who deleted', async () => {
    const { id } = await register(as('adminAlpha'));
    const specialist = as('specialistAlpha').context;
    await expect(asPrincipal(stack.api, specialist, (tx) =>
      tx`update patients set deleted_at = now(), deleted_by = ${specialist.principalId}, updated_by = ${specialist.principalId} where id = ${id}`))
      .rejects.toThrow(/row-level security/);
    const admin = as('adminAlpha').context;
    await expect(asPrincipal(stack.api, admin, (tx) =>
      tx`update patients set deleted_at = now(), deleted_by = ${specialist.principalId}, updated_by = ${admin.principalId} where id = ${id}`))
      .rejects.toThrow(/row-level security/);
  });
});

describe('linking a record to the person\'s account', () => {
  async function inviteFor(patientId: string, email: string) {
    const reply = await api('POST', '/api/v1/invitations', as('adminAlpha').token, { kind: 'patient', email, name: 'Elena', patientId });
    expect(reply.status).toBe(201);
    const mail = (await mailsTo(stack, email)).find((m) => m.text.includes('/invitations/accept?token='));
    if (mail === undefined) throw new Error(`no invitation mail to ${email}`);
    return linkIn(mail.text).searchParams.get('token') ?? '';
  }

  it('the invited person claims the clinic\'s record: the same record, their account, one profile', async () => {
    const { id, profileId } = await register(as('adminAlpha'));
    const email = 'elena.claims@example.test';
    const token = await inviteFor(id, email);
    const person = await signUpForReal(stack, email, 'Elena Claims');
    const accepted = await api('POST', '/api/v1/invitations/accept', person.token, { token });
    expect(accepted.body.accepted).toMatchObject({ kind: 'patient', patientId: id });
    expect(await stack.admin`select id, principal_id from patients where principal_id = ${person.principalId}`).toEqual([{ id, principal_id: person.principalId }]);
    expect(await stack.admin`select id from patient_profiles where principal_id = ${person.principalId}`).toEqual([{ id: profileId }]);
    // Claimed: the person's details are theirs now; the clinic still sees them but cannot edit them.
    expect(await push(as('adminAlpha'), (m) => m.patient.update({ writeId: w(), id, person: { familyName: 'Changed' } } as never))).toMatchObject({ ok: false, details: { code: 'PROFILE_OWNED_BY_PATIENT' } });
    const own = await stack.login(email);
    expect(await push(own, (m) => m.profile.update({ writeId: w(), id: profileId, familyName: 'Ionescu' } as never))).toEqual({ ok: true });
    await expect.poll(() => synced(as('adminAlpha'), id)).toMatchObject({ principalId: person.principalId, profile: { familyName: 'Ionescu' } });
  });

  it('a person who already has a profile keeps it: the clinic\'s record moves to it and its copy goes', async () => {
    const email = 'mihai.two@example.test';
    const person = await signUpForReal(stack, email, 'Mihai Two');
    const link = await api('POST', '/api/v1/share-links', as('adminBeta').token, { label: 'Afiș', maxUses: 10 });
    const code = (link.body.shareLink as { code: string }).code;
    expect((await api('POST', '/api/v1/share-links/join', person.token, { code })).status).toBe(200);
    const [ownProfile] = await stack.admin<{ id: string }[]>`select id from patient_profiles where principal_id = ${person.principalId}`;
    const { id, profileId: placeholder } = await register(as('adminAlpha'));
    const token = await inviteFor(id, email);
    expect((await api('POST', '/api/v1/invitations/accept', person.token, { token })).status).toBe(200);
    expect(await stack.admin`select patient_profile_id as profile from patients where id = ${id}`).toEqual([{ profile: ownProfile?.id }]);
    expect(await stack.admin`select 1 from patient_profiles where id = ${placeholder}`).toHaveLength(0);
    expect(await stack.admin`select organization_id from patients where principal_id = ${person.principalId} order by organization_id`)
      .toHaveLength(2);
    // Beta's record exists but Beta does not see the person's profile until they finish onboarding there.
    const betaSees = await asPrincipal(stack.api, as('adminBeta').context, async (tx) =>
      (await tx`select 1 from patient_profiles where principal_id = ${person.principalId}`).length);
    expect(betaSees).toBe(0);
  });

  it('refuses to name another clinic\'s record, or one that already belongs to an account, in an invitation', async () => {
    const { id } = await register(as('adminBeta'));
    const reply = await api('POST', '/api/v1/invitations', as('adminAlpha').token, { kind: 'patient', email: 'x@example.test', patientId: id });
    expect(errorOf(reply)).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('a person edits only their own profile', async () => {
    const email = 'ana.own@example.test';
    const person = await signUpForReal(stack, email, 'Ana Own');
    const link = await api('POST', '/api/v1/share-links', as('adminAlpha').token, { label: 'Afiș 2', maxUses: 10 });
    await api('POST', '/api/v1/share-links/join', person.token, { code: (link.body.shareLink as { code: string }).code });
    const { profileId: someoneElses } = await register(as('adminAlpha'));
    const own = await stack.login(email);
    expect(await push(own, (m) => m.profile.update({ writeId: w(), id: someoneElses, familyName: 'Mine' } as never))).toMatchObject({ ok: false, details: { code: 'NOT_FOUND' } });
    expect(await stack.admin`select family_name from patient_profiles where id = ${someoneElses}`).not.toEqual([{ family_name: 'Mine' }]);
  });
});
