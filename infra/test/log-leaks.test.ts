import { expect, it } from 'vitest';
import { findLeaks, identifyingColumns } from './log-leaks.ts';

it('looks for the names and emails the registry classes personal', () => {
  const columns = identifyingColumns().map(({ table, column }) => `${table}.${column}`);
  expect(columns).toEqual(expect.arrayContaining(['humans.email', 'humans.name', 'invitations.email', 'auth.user.email', 'notification_deliveries.recipient_email']));
  expect(columns).not.toContain('organizations.name');
  expect(columns).not.toContain('locations.name');
});

it('finds a value in a log line as written, URL-encoded or JSON-escaped, whatever its case', () => {
  const values = new Map([['ana.pop@clinic.test', 'humans.email'], ['Ioana "Nana" Ștefănescu', 'humans.name'], ['0722 333 444', 'patients.phone']]);
  const files = [
    { name: 'core-api.log', text: '{"msg":"ok"}\n{"msg":"sent to ANA.POP@clinic.test"}\n' },
    { name: 'stack.log', text: '[zero-cache] GET /x?e=ana.pop%40clinic.test\n[mail] to "Ioana \\"Nana\\" Ștefănescu"\n' },
    { name: 'postgres.log', text: 'ERROR: phone 0722 333 444 taken\nLOG: checkpoint\n' },
  ];
  expect(findLeaks(files, values).map((leak) => `${leak.file}:${String(leak.line)} ${leak.column}`)).toEqual([
    'core-api.log:2 humans.email',
    'stack.log:1 humans.email',
    'stack.log:2 humans.name',
    'postgres.log:1 patients.phone',
  ]);
  expect(findLeaks([{ name: 'clean.log', text: 'redacted: [redacted]\n' }], values)).toEqual([]);
});
