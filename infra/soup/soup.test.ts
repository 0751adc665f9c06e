import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REVIEWED_ADVISORIES, SOUP_REGISTER } from './register.ts';
import { SOUP_DOC, SOUP_JSON, directDependencies, normaliseAudit, readAudit, runtimePackages, soupDoc, soupJson, unreviewedSevere, type AuditRecord } from './soup.ts';

describe('the SOUP register', () => {
  it('gives every direct runtime dependency a purpose and a risk class, and lists nothing else', () => {
    const direct = directDependencies();
    expect(direct.filter((d) => d.risk === null || d.purpose.trim() === '').map((d) => d.name), 'runtime dependencies without an entry in infra/soup/register.ts').toEqual([]);
    const names = new Set(direct.map((d) => d.name));
    expect(Object.keys(SOUP_REGISTER).filter((name) => !names.has(name)), 'register entries of packages that are not runtime dependencies').toEqual([]);
  });

  it('knows the installed version and licence of each', () => {
    for (const d of directDependencies()) {
      expect(d.version, d.name).toMatch(/^\d+\.\d+\.\d+/);
      expect(d.licence, d.name).not.toBe('UNKNOWN');
    }
  });

  it('is written out as it stands (npm run soup)', () => {
    const packages = runtimePackages();
    expect(readFileSync(SOUP_JSON, 'utf8')).toBe(soupJson(packages));
    expect(readFileSync(SOUP_DOC, 'utf8')).toBe(soupDoc(directDependencies(packages), packages, readAudit()));
  });
});

describe('advisories', () => {
  it('leave no critical or high advisory of a runtime package unreviewed (docs/soup-audit.json)', () => {
    expect(unreviewedSevere(readAudit()).map((a) => `${a.severity} ${a.package}: ${a.title} (${a.id})`)).toEqual([]);
    for (const [id, review] of Object.entries(REVIEWED_ADVISORIES)) expect(review.reason.trim().length, id).toBeGreaterThan(20);
  });

  it('are read from npm audit\'s report, and a severe one that nobody reviewed is caught', () => {
    const report = {
      vulnerabilities: {
        'fast-xml-parser': { via: [{ source: 1101, name: 'fast-xml-parser', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-aaaa', severity: 'critical' as const, range: '<4.2.4' }] },
        '@aws-sdk/core': { via: ['fast-xml-parser'] },
        koa: { via: [{ source: 1102, name: 'koa', title: 'Open redirect', url: 'https://github.com/advisories/GHSA-bbbb', severity: 'moderate' as const, range: '<3.0.1' }] },
      },
    };
    const advisories = normaliseAudit(report);
    expect(advisories.map((a) => `${a.package} ${a.severity}`)).toEqual(['fast-xml-parser critical', 'koa moderate']);
    const audit: AuditRecord = { status: 'ok', checkedOn: '2026-01-01', advisories };
    expect(unreviewedSevere(audit).map((a) => a.id)).toEqual(['https://github.com/advisories/GHSA-aaaa']);
  });
});
