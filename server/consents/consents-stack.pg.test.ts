import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { outboxSettled } from '../../infra/test/outbox.ts';
import { mailsTo } from '../../infra/test/real-people.ts';
import { startTestStack, type TestStack } from '../../infra/test/test-stack.ts';
import { seedTwoClinics, type Fixture } from '../api-v1/test-fixture.ts';
import { recordEvent } from '../events/record-event.ts';
import { createPatientPerson } from './consent-fixture.ts';
import type { MyConsents, PendingConsents } from './my-consents.ts';
import type { PatientConsents } from './patient-consents.ts';

/**
 * The consent ledger and privacy notices over REST on the whole platform (core API, job runner,
 * development mailbox): a clinic publishes its notice, a patient completes onboarding and only then
 * does the clinic see them, toggles take effect at once (a withdrawn reminder is not mailed, even one
 * queued before the withdrawal, and the skip is recorded), a material change asks again. From the
 * attacker's side: another clinic, another patient, a person without the permission.
 */

const fx = {} as Fixture;
let stack: TestStack;
const tokens = {} as Record<'ownerAlpha' | 'staffAlpha' | 'specialistAlpha' | 'adminBeta' | 'root' | 'pat' | 'other', string>;
const people = {} as Record<'pat' | 'other', { principalId: string; patients: string[] }>;

beforeAll(async () => {
  stack = await startTestStack(inject('pgSuperuserUrl'), async (sql) => {
    await seedTwoClinics(sql, fx);
    people.pat = await createPatientPerson(sql, 'pat@people.test', [{ organizationId: fx.alpha }]);
    people.other = await createPatientPerson(sql, 'other@people.test', [{ organizationId: fx.alpha }, { organizationId: fx.beta }]);
  });
  tokens.ownerAlpha = (await stack.login('owner@alpha.test', fx.alpha)).token;
  tokens.staffAlpha = (await stack.login('staff@alpha.test', fx.alpha)).token;
  tokens.specialistAlpha = (await stack.login('specialist@alpha.test', fx.alpha)).token;
  tokens.adminBeta = (await stack.login('admin@beta.test', fx.beta)).token;
  tokens.root = (await stack.login('root@platform.test')).token;
  tokens.pat = (await stack.login('pat@people.test')).token;
  tokens.other = (await stack.login('other@people.test')).token;
});
afterAll(async () => { await stack.stop(); });

type Reply = { status: number; body: Record<string, unknown> & { error?: { code: string; details?: { issues?: { path: string[] }[] } } } };

async function api(method: string, path: string, token: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${stack.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Reply['body']) };
}
const refusal = (reply: Reply) => ({ status: reply.status, code: reply.body.error?.code });
const myConsents = async (token: string) => (await api('GET', '/api/v1/me/consents', token)).body as unknown as MyConsents;
const pending = async (token: string) => (await api('GET', '/api/v1/me/consents/pending', token)).body as unknown as PendingConsents;
const patientId = () => people.pat.patients[0] ?? '';
const clinicView = (token: string, id = patientId()) => api('GET', `/api/v1/patients/${id}/consents`, token);
const values = { clinic_name: 'Clinica Alpha', dpo_contact: 'dpo@alpha.test', retention_period: '10 years' };

describe('a clinic\'s privacy notice', () => {
  it('is published by those who manage the clinic\'s people, complete, and numbered by the database', async () => {
    expect(refusal(await api('POST', '/api/v1/privacy-notice', tokens.staffAlpha, { values, sections: [], material: true }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    const incomplete = await api('POST', '/api/v1/privacy-notice', tokens.ownerAlpha, { values: { clinic_name: 'Alpha' }, sections: ['telerehab'], material: true });
    expect(refusal(incomplete)).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(incomplete.body.error?.details?.issues?.map((issue) => issue.path.join('.')).sort()).toEqual(['values.dpo_contact', 'values.retention_period']);
    const preview = await api('POST', '/api/v1/privacy-notice/preview', tokens.ownerAlpha, { values, sections: ['telerehab'] });
    const text = (preview.body.preview as { text: { en: string; ro: string }; missingValues: string[] });
    expect(text.missingValues).toEqual([]);
    expect(text.text.en).toContain('Clinica Alpha is the controller');
    expect(text.text.en).toContain('## Exercises at home');
    expect(text.text.ro).toContain('dpo@alpha.test');
    expect(text.text.en).not.toContain('## Who processes data for us');
    // Published with `material: false`, the first version is material all the same.
    const published = await api('POST', '/api/v1/privacy-notice', tokens.ownerAlpha, { values, sections: ['telerehab'], material: false });
    expect(published.status).toBe(201);
    expect(published.body.notice).toMatchObject({ version: 1, material: true, sections: ['telerehab'], text: text.text });
    const state = await api('GET', '/api/v1/privacy-notice', tokens.specialistAlpha);
    expect(state.body).toMatchObject({ current: { version: 1 }, history: [{ version: 1 }] });
    // Beta's members see beta's (none), not alpha's.
    expect((await api('GET', '/api/v1/privacy-notice', tokens.adminBeta)).body).toMatchObject({ current: null, history: [] });
  });
});

describe('onboarding', () => {
  it('keeps the profile from the clinic until the required acknowledgements are made', async () => {
    // Terms never accepted are part of the consent block, not a prompt of their own.
    expect(await pending(tokens.pat)).toEqual({ terms: false, clinics: [{ organization: { id: fx.alpha, name: 'Alpha' }, onboarding: true, notice: false }] });
    expect(refusal(await clinicView(tokens.ownerAlpha))).toEqual({ status: 404, code: 'NOT_FOUND' });
    const before = await myConsents(tokens.pat);
    const clinic = before.clinics[0];
    expect(clinic?.notice?.text.en).toContain('Clinica Alpha');
    const termsVersion = before.terms?.version ?? 0;
    const missing = await api('POST', '/api/v1/me/onboarding', tokens.pat, { organizationId: fx.alpha, platformTermsVersion: termsVersion, privacyNoticeVersion: null, choices: {} });
    expect(refusal(missing)).toEqual({ status: 400, code: 'INVALID_INPUT' });
    // Someone else's clinic: not a patient there, the same answer as no clinic at all.
    expect(refusal(await api('POST', '/api/v1/me/onboarding', tokens.pat, { organizationId: fx.beta, platformTermsVersion: termsVersion, privacyNoticeVersion: 1, choices: {} })))
      .toEqual({ status: 404, code: 'NOT_FOUND' });
    const done = await api('POST', '/api/v1/me/onboarding', tokens.pat, { organizationId: fx.alpha, platformTermsVersion: termsVersion, privacyNoticeVersion: 1, choices: { reminders: true } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(await pending(tokens.pat)).toEqual({ terms: false, clinics: [] });
    const seen = await clinicView(tokens.ownerAlpha);
    expect(seen.status).toBe(200);
    const view = seen.body as unknown as PatientConsents;
    expect(view.choices).toEqual([expect.objectContaining({ purpose: 'reminders', granted: true }), expect.objectContaining({ purpose: 'marketing', granted: false })]);
    expect(view.acknowledgement).toMatchObject({ acknowledgedVersion: 1, outstanding: false });
    // The clinic's trail has its own rows, not the platform's terms.
    expect(view.trail.map((row) => row.purpose).sort()).toEqual(['privacy_notice', 'reminders']);
  });

  it('shows the clinic nothing of another clinic\'s patient, or without patients.read', async () => {
    expect(refusal(await clinicView(tokens.adminBeta))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(refusal(await clinicView(tokens.staffAlpha))).toEqual({ status: 403, code: 'FORBIDDEN' });
    // A patient of alpha who has not completed onboarding is not visible either.
    expect(refusal(await clinicView(tokens.ownerAlpha, people.other.patients[0]))).toEqual({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('choices take effect at once', () => {
  const remind = () => api('POST', `/api/v1/patients/${patientId()}/reminders`, tokens.specialistAlpha, { kind: 'exercise' });
  const reminders = async () => (await mailsTo(stack, 'pat@people.test')).filter((mail) => /Reminder|Memento/.test(mail.subject));

  it('mails a reminder while the patient consents, and none once they withdraw, even one queued before', async () => {
    expect((await remind()).status).toBe(202);
    expect(await reminders()).toHaveLength(1);

    // Queued while granted, due only after the withdrawal: the event is recorded as the service
    // records it, with its dispatch job held back until the patient has withdrawn.
    const eventId = await stack.admin.begin(async (tx) => {
      const id = await recordEvent(tx, {
        name: 'patient.reminder_requested', version: 1, organizationId: fx.alpha, actorPrincipalId: fx.people.specialistAlpha, requestId: null,
        payload: { patientId: patientId(), principalId: people.pat.principalId, purpose: 'reminders', kind: 'appointment', email: 'pat@people.test', locale: 'en', name: 'pat Test', organizationName: 'Alpha' },
      });
      await tx`update graphile_worker._private_jobs set run_at = now() + interval '1 hour' where payload->>'eventId' = ${id}`;
      return id;
    });
    expect((await api('POST', '/api/v1/me/consents/choices', tokens.pat, { organizationId: fx.alpha, purpose: 'reminders', granted: false })).body.choice)
      .toMatchObject({ purpose: 'reminders', granted: false });
    await stack.admin`update graphile_worker._private_jobs set run_at = now() where payload->>'eventId' = ${eventId}`;
    await outboxSettled(stack.admin);
    const [handled] = await stack.admin<{ n: number }[]>`select count(*)::int as n from handled_events where event_id = ${eventId}`;
    expect(handled?.n).toBe(1);
    expect(await reminders()).toHaveLength(1);
    // And a new one, asked for after the withdrawal.
    expect((await remind()).status).toBe(202);
    expect(await reminders()).toHaveLength(1);
    const skips = (await clinicView(tokens.ownerAlpha)).body as unknown as PatientConsents;
    expect(skips.skipped.map((skip) => skip.reason)).toEqual(['withdrawn', 'withdrawn']);
    const trail = (await myConsents(tokens.pat)).trail;
    expect(trail.filter((row) => row.purpose === 'reminders').map((row) => row.action)).toEqual(['withdraw', 'grant']);
  });

  it('refuses a clinic asking for a reminder without patients.manage, or for another clinic\'s patient', async () => {
    expect(refusal(await api('POST', `/api/v1/patients/${patientId()}/reminders`, tokens.staffAlpha, { kind: 'exercise' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(refusal(await api('POST', `/api/v1/patients/${patientId()}/reminders`, tokens.adminBeta, { kind: 'exercise' }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(refusal(await api('POST', `/api/v1/patients/${patientId()}/reminders`, tokens.specialistAlpha, { kind: 'sms' }))).toEqual({ status: 400, code: 'INVALID_INPUT' });
  });

  it('refuses switching a required acknowledgement off, or a choice in a clinic one is not a patient of', async () => {
    expect(refusal(await api('POST', '/api/v1/me/consents/choices', tokens.pat, { organizationId: fx.alpha, purpose: 'privacy_notice', granted: false })))
      .toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(refusal(await api('POST', '/api/v1/me/consents/choices', tokens.pat, { organizationId: fx.beta, purpose: 'marketing', granted: true })))
      .toEqual({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('a material change', () => {
  it('asks again; a minor one does not', async () => {
    const publish = (material: boolean) => api('POST', '/api/v1/privacy-notice', tokens.ownerAlpha, { values: { ...values, retention_period: material ? '20 years' : '10 years.' }, sections: [], material });
    expect((await publish(false)).body.notice).toMatchObject({ version: 2, material: false });
    expect(await pending(tokens.pat)).toEqual({ terms: false, clinics: [] });
    expect((await publish(true)).body.notice).toMatchObject({ version: 3, material: true });
    expect(await pending(tokens.pat)).toEqual({ terms: false, clinics: [{ organization: { id: fx.alpha, name: 'Alpha' }, onboarding: false, notice: true }] });
    // Acknowledging an older version than the one in force is refused: nobody accepts a text they were not shown.
    expect(refusal(await api('POST', '/api/v1/me/consents/acknowledgements', tokens.pat, { purpose: 'privacy_notice', organizationId: fx.alpha, version: 2 })))
      .toEqual({ status: 409, code: 'INVALID_TRANSITION' });
    const ack = await api('POST', '/api/v1/me/consents/acknowledgements', tokens.pat, { purpose: 'privacy_notice', organizationId: fx.alpha, version: 3 });
    expect(ack.body.acknowledgement).toMatchObject({ acknowledgedVersion: 3, outstanding: false });
    expect(await pending(tokens.pat)).toEqual({ terms: false, clinics: [] });
  });

  it('of the terms, published by a superadmin only, asks every person again', async () => {
    expect(refusal(await api('POST', '/api/platform/terms', tokens.ownerAlpha, { body: { en: 'New', ro: 'Nou' }, material: true }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    const terms = await api('POST', '/api/platform/terms', tokens.root, { body: { en: 'New terms', ro: 'Termeni noi' }, material: true });
    expect(terms.status).toBe(201);
    const version = (terms.body.terms as { version: number }).version;
    expect((await pending(tokens.pat)).terms).toBe(true);
    await api('POST', '/api/v1/me/consents/acknowledgements', tokens.pat, { purpose: 'platform_terms', version });
    expect((await pending(tokens.pat)).terms).toBe(false);
  });
});
