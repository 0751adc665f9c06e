import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DATA_CLASSES, REDACTED_CLASSES, type DataClass } from './data-classes.ts';

export const DATA_CLASSES_DOC = join(import.meta.dirname, '..', 'docs', 'data-classes.md');

const MEANING: Record<DataClass, string> = {
  public: 'may be shown to anyone',
  internal: 'ids, states, timestamps; not personal on its own',
  personal: 'identifies a person (name, email, address, device)',
  health: 'health data of a patient',
  secret: 'credentials and keys; never replicated, encrypted or hashed at rest',
};

/** docs/data-classes.md, generated from db/data-classes.ts. */
export function dataClassesDoc(): string {
  const lines = [
    '# Data classes',
    '',
    '<!-- Generated from db/data-classes.ts by `npm run docs:data-classes`; do not edit by hand. -->',
    '',
    'Every column of every table has one class. A test fails when a column in the database has none',
    '(db/data-classes.pg.test.ts), and another when this document is out of date. Logs redact the values',
    `of ${REDACTED_CLASSES.map((c) => `\`${c}\``).join(', ')} columns by name (server/logger.ts).`,
    '',
    '| class | meaning |',
    '| --- | --- |',
    ...(Object.keys(MEANING) as DataClass[]).map((dataClass) => `| \`${dataClass}\` | ${MEANING[dataClass]} |`),
  ];
  for (const table of Object.keys(DATA_CLASSES).sort()) {
    const columns = DATA_CLASSES[table] ?? {};
    lines.push('', `## ${table}`, '', '| column | class |', '| --- | --- |');
    for (const [column, dataClass] of Object.entries(columns)) lines.push(`| ${column} | ${dataClass} |`);
  }
  return `${lines.join('\n')}\n`;
}

// `npm run docs:data-classes` rewrites the document; a test fails while it is out of date.
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await writeFile(DATA_CLASSES_DOC, dataClassesDoc());
  console.log(`wrote ${DATA_CLASSES_DOC}`);
}
