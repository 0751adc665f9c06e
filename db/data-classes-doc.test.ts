import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { DATA_CLASSES } from './data-classes.ts';
import { DATA_CLASSES_DOC, dataClassesDoc } from './data-classes-doc.ts';

it('keeps docs/data-classes.md in step with the registry (npm run docs:data-classes)', async () => {
  expect(await readFile(DATA_CLASSES_DOC, 'utf8')).toBe(dataClassesDoc());
});

it('lists every classified column with its class', () => {
  const doc = dataClassesDoc();
  for (const [table, columns] of Object.entries(DATA_CLASSES)) {
    const section = doc.split(`\n## ${table}\n`)[1]?.split('\n## ')[0] ?? '';
    for (const [column, dataClass] of Object.entries(columns)) expect(section, `${table}.${column}`).toContain(`| ${column} | ${dataClass} |`);
  }
});
