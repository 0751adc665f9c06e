import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';
import { APPS } from '../vite.config.ts';

// One build per app in one process: three PWA plugin instances in one build collide
// (docs/adr/0008-one-build-per-app.md), and one process is faster than three CLI runs.
const ROOT = resolve(import.meta.dirname, '..');
const configFile = resolve(ROOT, 'vite.config.ts');

export function appsAreBuilt(): boolean {
  return APPS.every((app) => existsSync(resolve(ROOT, 'dist', app, 'index.html')));
}

export async function buildApps(log: (line: string) => void = console.log): Promise<void> {
  for (const mode of APPS) {
    const started = performance.now();
    await build({ mode, configFile, logLevel: 'warn' });
    log(`built ${mode} in ${String(Math.round(performance.now() - started))} ms`);
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await buildApps();
