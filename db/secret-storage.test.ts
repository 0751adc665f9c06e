import { expect, it } from 'vitest';
import { DATA_CLASSES } from './data-classes.ts';
import { SECRET_FORMS, SECRET_STORAGE } from './secret-storage.ts';

const secretColumns = Object.entries(DATA_CLASSES).flatMap(([table, columns]) =>
  Object.entries(columns).filter(([, dataClass]) => dataClass === 'secret').map(([column]) => `${table}.${column}`));

it('says how every secret column is stored, and only secret columns', () => {
  expect(secretColumns.filter((column) => !(column in SECRET_STORAGE)), 'secret columns stored in no declared form').toEqual([]);
  expect(Object.keys(SECRET_STORAGE).filter((column) => !secretColumns.includes(column)), 'forms declared for columns that are not secret').toEqual([]);
});

it('stores every secret as a one-way hash or a ciphertext, with one documented exception', () => {
  const exceptions = Object.entries(SECRET_STORAGE).filter(([, form]) => SECRET_FORMS[form].kind === 'signed-elsewhere').map(([column]) => column);
  // A second exception needs its own ADR and its own attacker-side test, not a line here.
  expect(exceptions).toEqual(['auth.session.token']);
});
