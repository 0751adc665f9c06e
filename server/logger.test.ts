import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger, redactedKeys } from './logger.ts';

it('derives what to redact from the data classes', () => {
  const keys = redactedKeys();
  expect(keys).toEqual(expect.arrayContaining(['email', 'name', 'changes', 'token', 'authorization']));
  expect(keys).not.toContain('slug');
});

it('redacts personal values and credentials in log lines, at the top and one level down', () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done(); } });
  const log = createLogger('info', sink);
  log.info({ email: 'ana@clinic.test', human: { name: 'Ana Pop', email: 'ana@clinic.test' }, authorization: 'Bearer abc', slug: 'centru' }, 'hello');
  const line = lines.join('');
  expect(line).not.toContain('ana@clinic.test');
  expect(line).not.toContain('Ana Pop');
  expect(line).not.toContain('Bearer abc');
  expect(line).toContain('centru');
});
