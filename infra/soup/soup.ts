import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REVIEWED_ADVISORIES, SOUP_REGISTER, type RiskClass } from './register.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const SOUP_DOC = join(ROOT, 'docs', 'soup.md');
export const SOUP_JSON = join(ROOT, 'docs', 'soup.json');
export const SOUP_AUDIT = join(ROOT, 'docs', 'soup-audit.json');

export type Severity = 'critical' | 'high' | 'moderate' | 'low' | 'info';
export type Advisory = { id: string; package: string; severity: Severity; title: string; range: string };
/** What `npm audit --omit=dev` said, normalised; `status` says whether it could be asked at all. */
export type AuditRecord = { status: 'ok' | 'unavailable'; checkedOn: string; reason?: string; advisories: Advisory[] };

export type RuntimePackage = { name: string; version: string; licence: string; direct: boolean; optional: boolean };
export type DirectDependency = RuntimePackage & { purpose: string; risk: RiskClass | null; scope?: string };

type LockPackage = { version?: string; license?: string; dev?: boolean; optional?: boolean; link?: boolean };
type Lockfile = { packages: Record<string, LockPackage> };
type Manifest = { dependencies?: Record<string, string>; license?: unknown; licenses?: unknown };

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

function licenceOf(path: string, fromLock: string | undefined): string {
  const manifestPath = join(ROOT, path, 'package.json');
  if (existsSync(manifestPath)) {
    const { license, licenses } = readJson<Manifest>(manifestPath);
    if (typeof license === 'string') return license;
    if (typeof license === 'object' && license !== null && 'type' in license) return String(license.type);
    if (Array.isArray(licenses)) return licenses.map((l: { type?: string }) => l.type ?? '?').join(' OR ');
  }
  return fromLock ?? 'UNKNOWN';
}

/** Every package the lockfile installs for production (not dev), with its installed licence. */
export function runtimePackages(): RuntimePackage[] {
  const lock = readJson<Lockfile>(join(ROOT, 'package-lock.json'));
  const direct = new Set(Object.keys(readJson<Manifest>(join(ROOT, 'package.json')).dependencies ?? {}));
  const found: RuntimePackage[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true || entry.link === true) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    found.push({ name, version: entry.version ?? '?', licence: licenceOf(path, entry.license), direct: direct.has(name) && path === `node_modules/${name}`, optional: entry.optional === true });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The direct runtime dependencies (package.json), each with its register entry (null when missing). */
export function directDependencies(packages = runtimePackages()): DirectDependency[] {
  const names = Object.keys(readJson<Manifest>(join(ROOT, 'package.json')).dependencies ?? {}).sort();
  return names.map((name) => {
    const installed = packages.find((p) => p.direct && p.name === name) ?? { name, version: '?', licence: 'UNKNOWN', direct: true, optional: false };
    const entry = SOUP_REGISTER[name];
    return { ...installed, purpose: entry?.purpose ?? '', risk: entry?.risk ?? null, ...(entry?.scope === undefined ? {} : { scope: entry.scope }) };
  });
}

export function readAudit(): AuditRecord {
  return existsSync(SOUP_AUDIT) ? readJson<AuditRecord>(SOUP_AUDIT) : { status: 'unavailable', checkedOn: 'never', reason: 'npm run soup has not run', advisories: [] };
}

/** Critical and high advisories that no REVIEWED_ADVISORIES entry accepts. */
export function unreviewedSevere(audit: AuditRecord): Advisory[] {
  return audit.advisories.filter((a) => (a.severity === 'critical' || a.severity === 'high') && REVIEWED_ADVISORIES[a.id] === undefined);
}

type NpmAudit = { vulnerabilities?: Record<string, { via: ({ source: number | string; name: string; title: string; url: string; severity: Severity; range: string } | string)[] }> };

/** `npm audit --omit=dev --json`, normalised to the advisories themselves (not every package they reach). */
export function normaliseAudit(report: NpmAudit): Advisory[] {
  const advisories = new Map<string, Advisory>();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via) {
      if (typeof via === 'string') continue;
      const id = via.url === '' ? String(via.source) : via.url;
      advisories.set(`${id}|${via.name}`, { id, package: via.name, severity: via.severity, title: via.title, range: via.range });
    }
  }
  return [...advisories.values()].sort((a, b) => a.package.localeCompare(b.package) || a.id.localeCompare(b.id));
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function soupDoc(direct: DirectDependency[], packages: RuntimePackage[], audit: AuditRecord): string {
  const licences = new Map<string, number>();
  for (const p of packages) licences.set(p.licence, (licences.get(p.licence) ?? 0) + 1);
  const lines = [
    '# SOUP register',
    '',
    '<!-- Generated by `npm run soup` from package-lock.json, node_modules/*/package.json, infra/soup/register.ts',
    '     and docs/soup-audit.json; do not edit by hand. -->',
    '',
    'Runtime dependencies (software of unknown provenance, IEC 62304 §8.1.2): what each direct one is for and',
    'its risk class (defined in infra/soup/register.ts). Every package the lockfile installs for production,',
    'with its licence, is in docs/soup.json.',
    '',
    '## Direct runtime dependencies',
    '',
    '| package | version | licence | risk | purpose |',
    '| --- | --- | --- | --- | --- |',
    ...direct.map((d) => `| ${d.name} | ${d.version} | ${cell(d.licence)} | ${d.risk ?? '**missing**'} | ${cell(d.purpose || '**missing**')}${d.scope === undefined ? '' : ` — ${cell(d.scope)}`} |`),
    '',
    `## Licences of all ${String(packages.length)} runtime packages`,
    '',
    '| licence | packages |',
    '| --- | --- |',
    ...[...licences].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([licence, count]) => `| ${cell(licence)} | ${String(count)} |`),
    '',
    '## Advisories (`npm audit --omit=dev`)',
    '',
  ];
  if (audit.status === 'unavailable') {
    lines.push(`**Not checked** (${audit.checkedOn}): ${audit.reason ?? 'the audit could not run'}. Run \`npm run soup\` where the registry's audit endpoint answers.`);
  } else if (audit.advisories.length === 0) {
    lines.push(`None (checked ${audit.checkedOn}).`);
  } else {
    lines.push(`Checked ${audit.checkedOn}.`, '', '| severity | package | advisory | affected | reviewed |', '| --- | --- | --- | --- | --- |');
    for (const a of audit.advisories) {
      const review = REVIEWED_ADVISORIES[a.id];
      lines.push(`| ${a.severity} | ${a.package} | [${cell(a.title)}](${a.id}) | ${cell(a.range)} | ${review === undefined ? '' : cell(`${review.reviewedOn}: ${review.reason}`)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function soupJson(packages: RuntimePackage[]): string {
  return `${JSON.stringify(packages, null, 2)}\n`;
}

async function runAudit(): Promise<AuditRecord> {
  const checkedOn = new Date().toISOString().slice(0, 10);
  try {
    const { stdout } = await promisify(execFile)('npm', ['audit', '--omit=dev', '--json'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).catch((error: unknown) => {
      // npm audit exits 1 when it finds advisories; its report is still on stdout.
      const stdout = (error as { stdout?: unknown }).stdout;
      if (typeof stdout === 'string' && stdout.includes('"vulnerabilities"')) return { stdout };
      throw error;
    });
    return { status: 'ok', checkedOn, advisories: normaliseAudit(JSON.parse(stdout) as NpmAudit) };
  } catch (error) {
    const message = (error as { stdout?: unknown }).stdout;
    const reason = typeof message === 'string' && message.includes('"message"') ? (JSON.parse(message) as { message: string }).message : String(error);
    return { status: 'unavailable', checkedOn, reason, advisories: [] };
  }
}

// `npm run soup`: audit, then write docs/soup-audit.json, docs/soup.json and docs/soup.md.
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const previous = readAudit();
  let audit = await runAudit();
  if (audit.status === 'unavailable' && previous.status === 'ok') {
    console.warn(`npm audit failed (${audit.reason ?? ''}); keeping the advisories of ${previous.checkedOn}.`);
    audit = previous;
  }
  writeFileSync(SOUP_AUDIT, `${JSON.stringify(audit, null, 2)}\n`);
  const packages = runtimePackages();
  const direct = directDependencies(packages);
  writeFileSync(SOUP_JSON, soupJson(packages));
  writeFileSync(SOUP_DOC, soupDoc(direct, packages, audit));
  const missing = direct.filter((d) => d.risk === null).map((d) => d.name);
  console.log(`wrote ${SOUP_DOC}, ${SOUP_JSON} and ${SOUP_AUDIT} (${String(direct.length)} direct, ${String(packages.length)} runtime packages; audit ${audit.status})`);
  if (missing.length > 0) console.warn(`no register entry (infra/soup/register.ts) for: ${missing.join(', ')}`);
  const severe = unreviewedSevere(audit);
  if (severe.length > 0) console.warn(`unreviewed critical/high advisories: ${severe.map((a) => `${a.package} ${a.id}`).join(', ')}`);
}
