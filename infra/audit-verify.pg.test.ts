import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMembership, createHuman, createOrganization } from '../seeds/factories.ts';
import { appendAudit } from '../server/audit.ts';
import { loadConfig } from '../server/config.ts';
import { actAs } from '../server/db-scope.ts';
import type { AuthContext } from '../sync-rules/context.ts';
import { freshDatabase, type TestDatabase } from './test/database.ts';
import { runAuditVerify, verifyUrl } from './audit-verify.ts';

/**
 * `npm run audit:verify` against a real database whose log was changed behind the application's
 * back, the way only someone with the superuser's login can: guard triggers off
 * (session_replication_role = replica), then one entry altered, one deleted, one inserted.
 */

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');

let db: TestDatabase;
const people: Record<'alpha' | 'beta', AuthContext> = {} as never;

async function write(auth: AuthContext, entityId: string): Promise<void> {
  await db.api.begin(async (tx) => {
    await actAs(tx, auth);
    await appendAudit(tx, {
      requestId: `req-${entityId}`, actorPrincipalId: auth.principalId, organizationId: auth.organizationId,
      action: 'location.updated', entityType: 'location', entityId, writeId: randomUUID(), changes: { name: `Name ${entityId}` },
      ip: '192.0.2.10', userAgent: 'Mozilla/5.0 (test)',
    });
  });
}

const idOf = async (entityId: string) =>
  (await db.admin<{ id: string }[]>`select id::text from audit_log where entity_id = ${entityId}`)[0]?.id ?? '';

/** The npm script itself, in a child process, pointed at this database by environment. */
async function npmScript(): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'infra/audit-verify.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: db.urls.owner, DATABASE_ADMIN_URL: db.urls.admin },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '' };
  }
}

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  for (const slug of ['alpha', 'beta'] as const) {
    const org = await createOrganization(db.admin, { slug, name: slug });
    const principal = await createHuman(db.admin, { email: `admin@${slug}.test`, name: `Admin ${slug}` });
    await addMembership(db.admin, org, principal, 'admin');
    people[slug] = { principalId: principal, organizationId: org, membershipRole: 'admin', platformRole: null };
  }
  for (const entity of ['a1', 'a2', 'a3', 'a4', 'a5']) await write(people.alpha, entity);
  for (const entity of ['b1', 'b2']) await write(people.beta, entity);
});
afterAll(async () => { await db.close(); });

describe('npm run audit:verify', () => {
  it('passes an untouched log, with the superuser\'s login and with the owner\'s', async () => {
    const lines: string[] = [];
    expect(await runAuditVerify(db.urls.admin, (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual(['audit log intact: 7 entries in 2 chains']);
    expect(await runAuditVerify(db.urls.owner, () => undefined)).toBe(0);
    expect(await npmScript()).toEqual({ code: 0, stdout: 'audit log intact: 7 entries in 2 chains\n' });
  });

  it('names the entry altered, the entry deleted and the entry inserted behind the application\'s back, and exits 1', async () => {
    const altered = await idOf('a2');
    const deleted = await idOf('a4');
    const forgedId = '900000';
    // The guards hold even for the superuser...
    await expect(db.admin`update audit_log set changes = '{"name": "Innocent"}' where entity_id = 'a2'`).rejects.toThrow(/append-only/);
    // ...until they are switched off.
    await db.admin.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`update audit_log set changes = '{"name": "Innocent"}' where entity_id = 'a2'`;
      await tx`delete from audit_log where entity_id = 'a4'`;
      // A forged entry, copying a real one's place in beta's chain and given a hash of its own.
      await tx`insert into audit_log (id, occurred_at, organization_id, chain_seq, prev_id, prev_hash, entry_hash, request_id,
          actor_principal_id, action, entity_type, entity_id, outcome, changes)
        overriding system value
        select ${forgedId}, occurred_at, organization_id, chain_seq, prev_id, prev_hash, sha256('forged'), 'req-forged',
          actor_principal_id, action, entity_type, 'forged', outcome, changes
        from audit_log where entity_id = 'b2'`;
    });

    const lines: string[] = [];
    expect(await runAuditVerify(db.urls.admin, (line) => lines.push(line))).toBe(1);
    const alpha = people.alpha.organizationId ?? '';
    const beta = people.beta.organizationId ?? '';
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^altered +chain ${alpha} +entry 2 \\(id ${altered}\\)`)),
      expect.stringMatching(new RegExp(`^removed +chain ${alpha} +entry 4 \\(id ${deleted}\\)`)),
      expect.stringMatching(new RegExp(`^inserted +chain ${beta} +entry 2 \\(id ${forgedId}\\)`)),
      'audit log NOT intact: 3 problems in 7 entries in 2 chains',
    ]));
    expect(lines).toHaveLength(4);

    const script = await npmScript();
    expect(script.code).toBe(1);
    expect(script.stdout).toContain(`(id ${altered})`);
    expect(script.stdout).toContain(`(id ${deleted})`);
    expect(script.stdout).toContain(`(id ${forgedId})`);
  });
});

describe('which database it reads', () => {
  it('is the embedded cluster\'s by default, else the administrator\'s, else the owner\'s', () => {
    expect(verifyUrl(loadConfig({}))).toBe('postgres://postgres:restartix-dev-superuser@127.0.0.1:55432/restartix');
    expect(verifyUrl(loadConfig({ DATABASE_URL: 'postgres://restartix_owner:o@db:5432/rx' }))).toBe('postgres://restartix_owner:o@db:5432/rx');
    expect(verifyUrl(loadConfig({ DATABASE_URL: 'postgres://restartix_owner:o@db:5432/rx', DATABASE_ADMIN_URL: 'postgres://postgres:s@db:5432/rx' })))
      .toBe('postgres://postgres:s@db:5432/rx');
  });
});
