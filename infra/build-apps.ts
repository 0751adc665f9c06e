import { resolve } from 'node:path';
import { build } from 'vite';
import { APPS } from '../vite.config.ts';

// One build per app in one process: three PWA plugin instances in one build collide
// (docs/adr/0004-one-build-per-app.md), and one process is faster than three CLI runs.
const configFile = resolve(import.meta.dirname, '../vite.config.ts');

for (const mode of APPS) {
  const started = performance.now();
  await build({ mode, configFile, logLevel: 'warn' });
  console.log(`built ${mode} in ${Math.round(performance.now() - started)} ms`);
}
