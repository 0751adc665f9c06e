import { randomBytes, randomUUID } from 'node:crypto';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asPrincipal, freshDatabase, type TestDatabase } from '../infra/test/database.ts';
import { seedTwoClinics, type Fixture } from '../server/api-v1/test-fixture.ts';
import { DELETED_FILES_SETTING, newStorageKey } from '../server/files/file-view.ts';
import { addMembership, createCustomRole, createHuman } from '../seeds/factories.ts';
import type { AuthContext } from '../sync-rules/context.ts';

/**
 * 0015_files.sql from the database's side: whatever the server's code does, the runtime role sees
 * only its clinic's live files with a files permission, never a deleted one unless it manages files
 * and asks for them, never deletes a row, and cannot rewrite what a file is.
 */

let db: TestDatabase;
const fx = {} as Fixture;
let readerId = '';
const files = {} as Record<'live' | 'deleted' | 'pending' | 'beta', string>;

async function insertFile(organizationId: string, by: string, state: { status?: 'pending' | 'uploaded'; deleted?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  const status = state.status ?? 'uploaded';
  await db.admin`insert into files (id, organization_id, storage_key, name, content_type, size_bytes, sha256, status, uploaded_at, created_by, updated_by, deleted_at, deleted_by)
    values (${id}, ${organizationId}, ${newStorageKey()}, 'scan.pdf', 'application/pdf', 100, ${randomBytes(32)}, ${status},
            ${status === 'uploaded' ? db.admin`now()` : null}, ${by}, ${by}, ${state.deleted === true ? db.admin`now()` : null}, ${state.deleted === true ? by : null})`;
  return id;
}

beforeAll(async () => {
  db = await freshDatabase(inject('pgSuperuserUrl'));
  await seedTwoClinics(db.admin, fx);
  const role = await createCustomRole(db.admin, fx.alpha, { name: 'Archive reader', permissions: ['files.read'], createdBy: fx.people.ownerAlpha });
  readerId = await createHuman(db.admin, { email: 'reader@alpha.test', name: 'Reader' });
  await addMembership(db.admin, fx.alpha, readerId, 'custom', role);
  files.live = await insertFile(fx.alpha, fx.people.adminAlpha);
  files.deleted = await insertFile(fx.alpha, fx.people.adminAlpha, { deleted: true });
  files.pending = await insertFile(fx.alpha, fx.people.adminAlpha, { status: 'pending' });
  files.beta = await insertFile(fx.beta, fx.people.adminBeta);
});
afterAll(async () => { await db.close(); });

const as = (principalId: string, organizationId: string, membershipRole: AuthContext['membershipRole'], extra: Partial<AuthContext> = {}): AuthContext =>
  ({ principalId, organizationId, membershipRole, platformRole: null, ...extra });
const adminAlpha = () => as(fx.people.adminAlpha, fx.alpha, 'admin');
const reader = () => as(readerId, fx.alpha, 'custom', { customRolePermissions: ['files.read'] });

/** The ids a principal sees, with deleted files asked for or not. */
async function visible(auth: AuthContext, askForDeleted = false): Promise<string[]> {
  return asPrincipal(db.api, auth, async (tx) => {
    if (askForDeleted) await tx`select set_config(${DELETED_FILES_SETTING}, 'visible', true)`;
    return (await tx<{ id: string }[]>`select id from files order by id`).map((row) => row.id);
  });
}

/** Runs one statement as the principal; the rows it touched, or the database's refusal. */
async function attempt(auth: AuthContext, statement: (tx: TransactionSql) => PromiseLike<readonly unknown[]>, askForDeleted = false) {
  try {
    return { rows: (await asPrincipal(db.api, auth, async (tx) => {
      if (askForDeleted) await tx`select set_config(${DELETED_FILES_SETTING}, 'visible', true)`;
      return statement(tx);
    })).length };
  } catch (error) {
    return { refused: (error as { code?: string }).code, constraint: (error as { constraint_name?: string }).constraint_name };
  }
}

describe('reads', () => {
  it('show a clinic\'s live files to its file readers and managers only', async () => {
    expect((await visible(adminAlpha())).sort()).toEqual([files.live, files.pending].sort());
    expect((await visible(reader())).sort()).toEqual([files.live, files.pending].sort());
    expect(await visible(as(fx.people.staffAlpha, fx.alpha, 'staff'))).toEqual([]);
    expect(await visible(as(fx.people.billingAlpha, fx.alpha, 'billing'))).toEqual([]);
    expect(await visible(as(fx.people.adminBeta, fx.beta, 'admin'))).toEqual([files.beta]);
    expect(await visible(as(fx.people.root, fx.alpha, null, { platformRole: 'superadmin' }))).toEqual([]);
  });

  it('hide deleted files unless a file manager asks for them; a reader never sees them', async () => {
    expect(await visible(adminAlpha())).not.toContain(files.deleted);
    expect(await visible(adminAlpha(), true)).toContain(files.deleted);
    expect(await visible(reader(), true)).not.toContain(files.deleted);
    expect(await visible(as(fx.people.adminBeta, fx.beta, 'admin'), true)).not.toContain(files.deleted);
  });
});

describe('writes', () => {
  it('never delete a row, not even a manager\'s own clinic\'s', async () => {
    expect(await attempt(adminAlpha(), (tx) => tx`delete from files where id = ${files.live} returning id`)).toMatchObject({ refused: '42501' });
  });

  it('create files only in the clinic worked in, as oneself, pending', async () => {
    const insert = (organizationId: string, createdBy: string) => (tx: TransactionSql) => tx`
      insert into files (id, organization_id, storage_key, name, content_type, size_bytes, sha256, created_by, updated_by)
      values (${randomUUID()}, ${organizationId}, ${newStorageKey()}, 'x.pdf', 'application/pdf', 1, ${randomBytes(32)}, ${createdBy}, ${createdBy}) returning id`;
    expect(await attempt(adminAlpha(), insert(fx.alpha, fx.people.adminAlpha))).toEqual({ rows: 1 });
    expect(await attempt(as(fx.people.adminBeta, fx.beta, 'admin'), insert(fx.alpha, fx.people.adminBeta))).toMatchObject({ refused: '42501' });
    expect(await attempt(adminAlpha(), insert(fx.alpha, fx.people.specialistAlpha))).toMatchObject({ refused: '42501' });
    expect(await attempt(reader(), insert(fx.alpha, readerId))).toMatchObject({ refused: '42501' });
    expect(await attempt(adminAlpha(), (tx) => tx`
      insert into files (id, organization_id, storage_key, name, content_type, size_bytes, sha256, status, created_by, updated_by)
      values (${randomUUID()}, ${fx.alpha}, ${newStorageKey()}, 'x.pdf', 'application/pdf', 1, ${randomBytes(32)}, 'uploaded', ${fx.people.adminAlpha}, ${fx.people.adminAlpha}) returning id`))
      .toMatchObject({ refused: '42501' });
  });

  it('cannot rewrite what a file is, or take back a confirmed upload', async () => {
    expect(await attempt(adminAlpha(), (tx) => tx`update files set storage_key = ${newStorageKey()} where id = ${files.live} returning id`)).toMatchObject({ refused: '42501' });
    expect(await attempt(adminAlpha(), (tx) => tx`update files set status = 'pending', updated_by = ${fx.people.adminAlpha} where id = ${files.live} returning id`))
      .toEqual({ refused: '23514', constraint: 'files_upload_is_final' });
    // Not even a superuser's SQL changes a file's identity.
    await expect(db.admin`update files set size_bytes = 1 where id = ${files.live}`).rejects.toMatchObject({ constraint_name: 'files_identity_is_fixed' });
  });

  it('stamp a deletion with the actor only, and change a deleted file only by restoring it', async () => {
    expect(await attempt(adminAlpha(), (tx) => tx`update files set deleted_at = now(), deleted_by = ${fx.people.specialistAlpha}, updated_by = ${fx.people.adminAlpha}
      where id = ${files.live} returning id`, true)).toMatchObject({ refused: '42501' });
    expect(await attempt(reader(), (tx) => tx`update files set deleted_at = now(), deleted_by = ${readerId}, updated_by = ${readerId}
      where id = ${files.live} returning id`, true)).toEqual({ rows: 0 });
    expect(await attempt(adminAlpha(), (tx) => tx`update files set deleted_by = ${fx.people.adminAlpha}, updated_by = ${fx.people.adminAlpha}
      where id = ${files.deleted} returning id`, true)).toEqual({ refused: '23514', constraint: 'files_deleted_is_frozen' });
    expect(await attempt(adminAlpha(), (tx) => tx`update files set deleted_at = null, deleted_by = null, updated_by = ${fx.people.adminAlpha}
      where id = ${files.deleted} returning id`, true)).toEqual({ rows: 1 });
  });
});

describe('the purge function', () => {
  it('is for the runtime role only, and keeps at least a day after deletion', async () => {
    await expect(db.api`select * from app_purge_next_file(interval '30 days', interval '1 day')`).rejects.toMatchObject({ code: '42501' });
    expect(await attempt(adminAlpha(), (tx) => tx`select * from app_purge_next_file(interval '23 hours', interval '1 day')`))
      .toEqual({ refused: '23514', constraint: 'files_purge_minimum' });
    expect(await attempt(adminAlpha(), (tx) => tx`select * from app_purge_next_file(interval '30 days', interval '59 minutes')`))
      .toEqual({ refused: '23514', constraint: 'files_purge_minimum' });
  });

  it('opens no window for the runtime role: it still sees nothing it did not see before', async () => {
    expect(await visible(as(fx.people.staffAlpha, fx.alpha, 'staff'))).toEqual([]);
    const seen = await asPrincipal(db.api, as(fx.people.staffAlpha, fx.alpha, 'staff'), async (tx) => {
      await tx`select * from app_purge_next_file(interval '30 days', interval '1 day')`;
      return (await tx<{ id: string }[]>`select id from files`).length;
    });
    expect(seen).toBe(0);
  });
});
