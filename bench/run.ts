import { requireNode22 } from '../infra/require-node-22.ts';
import { auditAndEncryption } from './audit-and-encryption.ts';
import { mutateVsRaw } from './mutate-vs-raw.ts';

// `npm run bench`: every benchmark prints its result as a ratio against a baseline measured in the
// same run. Benchmarks are not tests: nothing here passes or fails on a timing.
requireNode22();
const benchmarks: [string, () => Promise<string>][] = [
  ['mutate vs raw UPDATE', mutateVsRaw],
  ['mutate path with audit chain and encryption, on vs off', auditAndEncryption],
];
for (const [name, run] of benchmarks) {
  console.log(`\n## ${name}`);
  console.log(await run());
}
