import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DATA_CLASSES } from '../db/data-classes.ts';
import { createLogger, redactedKeys } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done(); } });
  return { log: createLogger('info', sink), text: () => lines.join('') };
}

describe('what the logger redacts', () => {
  it('is every personal, health and secret column of the registry, plus credentials and contact aliases', () => {
    const keys = redactedKeys();
    for (const columns of Object.values(DATA_CLASSES)) {
      for (const [column, dataClass] of Object.entries(columns)) {
        if (dataClass === 'personal' || dataClass === 'health' || dataClass === 'secret') expect(keys, column).toContain(column);
      }
    }
    expect(keys).toEqual(expect.arrayContaining(['email', 'name', 'phone', 'password', 'token', 'secret', 'authorization', 'changes', 'secret_hash']));
    // Internal and public columns stay readable.
    expect(keys).not.toContain('slug');
    expect(keys).not.toContain('organization_id');
  });
});

describe('a log line', () => {
  it('never carries the values of a person: log.info({ email, name, phone })', () => {
    const { log, text } = capture();
    log.info({ email: 'ana@clinic.test', name: 'Ana Pop', phone: '+40 721 000 111', slug: 'centru' }, 'signed up');
    expect(text()).not.toMatch(/ana@clinic\.test|Ana Pop|721 000 111/);
    expect(text()).toContain('centru');
    expect(text()).toContain('signed up');
    expect(JSON.parse(text())).toMatchObject({ email: '[redacted]', name: '[redacted]', phone: '[redacted]' });
  });

  it('redacts at any depth, in arrays, and whatever the spelling of the field', () => {
    const { log, text } = capture();
    log.info({
      batch: { people: [{ contact: { recipientEmail: 'ion@clinic.test', Phone_Number: '0722333444' } }] },
      request: { headers: { Authorization: 'Bearer abc.def', cookie: 'session=xyz' } },
      invitation: { recipient_email: 'maria@clinic.test', secretHash: 'deadbeef' },
    });
    expect(text()).not.toMatch(/ion@clinic\.test|0722333444|Bearer abc\.def|session=xyz|maria@clinic\.test|deadbeef/);
  });

  it('redacts a database error\'s detail, which quotes the offending row', () => {
    const { log, text } = capture();
    const error = Object.assign(new Error('duplicate key value violates unique constraint "humans_email_key"'), {
      code: '23505',
      detail: 'Key (email)=(dana@clinic.test) already exists.',
    });
    log.error({ err: error }, 'request failed');
    expect(text()).not.toContain('dana@clinic.test');
    expect(text()).toContain('humans_email_key');
    expect(JSON.parse(text())).toMatchObject({ err: { type: 'Error', code: '23505', detail: '[redacted]' } });
  });

  it('redacts what a child logger is bound with', () => {
    const { log, text } = capture();
    log.child({ email: 'radu@clinic.test', human: { name: 'Radu Ene' }, requestId: 'req-12345678' }).info('hello');
    expect(text()).not.toMatch(/radu@clinic\.test|Radu Ene/);
    expect(text()).toContain('req-12345678');
  });

  it('survives cycles and keeps dates', () => {
    const { log, text } = capture();
    const node: Record<string, unknown> = { at: new Date('2026-01-02T03:04:05Z') };
    node.self = node;
    log.info({ node });
    expect(text()).toContain('2026-01-02T03:04:05.000Z');
  });
});
