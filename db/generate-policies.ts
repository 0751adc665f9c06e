import { writeFile } from 'node:fs/promises';
import { ACCESS_RULES } from '../sync-rules/access-rules.ts';
import { compilePoliciesSql } from '../sync-rules/compile-sql.ts';
import { POLICIES_FILE } from './migrate.ts';
import { ROLES } from './roles.ts';

export function generatedPolicies(): string {
  return compilePoliciesSql(Object.values(ACCESS_RULES), ROLES.runtime);
}

// `npm run db:policies` rewrites the file; a test fails while it is out of date.
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await writeFile(POLICIES_FILE, generatedPolicies());
  console.log(`wrote ${POLICIES_FILE}`);
}
