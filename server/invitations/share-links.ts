import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import type { AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { appendAudit, requestAuditFields } from '../audit.ts';
import { actAs } from '../db-scope.ts';
import type { RequestContext } from '../request-context.ts';
import { requireMemberManager } from './human.ts';
import { qrSvg } from './qr-svg.ts';
import { formatShareCode, mintShareCode } from './secrets.ts';

export type ShareLinkStatus = 'active' | 'expired' | 'exhausted' | 'revoked';

/**
 * What a clinic's managers see of a share-link, code included: it is printed on posters, and showing
 * it again is what lets a clinic reprint one (db/migrations/0006_invitations.sql).
 */
export type ShareLinkView = {
  id: string;
  organizationId: string;
  label: string;
  /** As printed: `ABCD-EFGH`. */
  code: string;
  joinUrl: string;
  expiresAt: string;
  maxUses: number | null;
  uses: number;
  status: ShareLinkStatus;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
};

export type NewShareLink = { label: string; expiresAt: Date; maxUses: number | null };

type ShareLinkRow = {
  id: string;
  organization_id: string;
  code: string;
  label: string;
  expires_at: Date;
  max_uses: number | null;
  uses: number;
  status: ShareLinkStatus;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
};

/** Where a code leads: the Portal's join page, which asks the person to sign in or sign up first. */
export function joinUrl(baseURL: string, code: string): string {
  return `${baseURL.replace(/\/+$/, '')}/portal/join?code=${code}`;
}

const view = (baseURL: string, row: ShareLinkRow): ShareLinkView => ({
  id: row.id,
  organizationId: row.organization_id,
  label: row.label,
  code: formatShareCode(row.code),
  joinUrl: joinUrl(baseURL, row.code),
  expiresAt: row.expires_at.toISOString(),
  maxUses: row.max_uses,
  uses: row.uses,
  status: row.status,
  createdAt: row.created_at.toISOString(),
  createdBy: row.created_by,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

const selectLinks = (tx: TransactionSql) => tx`
  select id, organization_id, code, label, expires_at, max_uses, uses, created_by, created_at, revoked_at,
    case when revoked_at is not null then 'revoked'
         when expires_at <= now() then 'expired'
         when max_uses is not null and uses >= max_uses then 'exhausted'
         else 'active' end as status
  from share_links`;

// 30^8 codes: a collision is rare but possible, so a few fresh draws are allowed.
const CODE_ATTEMPTS = 3;

type PostgresLikeError = { code?: unknown; constraint_name?: unknown };
const isCodeCollision = (error: unknown): boolean =>
  typeof error === 'object' && error !== null &&
  (error as PostgresLikeError).code === '23505' && (error as PostgresLikeError).constraint_name === 'share_links_code_key';

export type ShareLinkServiceDeps = { sql: Sql; baseURL: string };

/** A new share-link of the caller's clinic, with a fresh code. */
export async function createShareLink(deps: ShareLinkServiceDeps, auth: AuthContext, request: RequestContext, input: NewShareLink): Promise<ShareLinkView> {
  const organizationId = requireMemberManager(auth);
  const id = randomUUID();
  return deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    for (let attempt = 1; ; attempt++) {
      try {
        const code = mintShareCode();
        await tx.savepoint((sp) => sp`
          insert into share_links (id, organization_id, code, label, expires_at, max_uses, created_by)
          values (${id}, ${organizationId}, ${code}, ${input.label}, ${input.expiresAt}, ${input.maxUses}, ${auth.principalId})`);
        break;
      } catch (error) {
        if (attempt >= CODE_ATTEMPTS || !isCodeCollision(error)) throw error;
      }
    }
    const [row] = await tx<ShareLinkRow[]>`${selectLinks(tx)} where id = ${id}`;
    if (row === undefined) throw new DomainError('INTERNAL', 'the share link was not created');
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'share_link.created',
      entityType: 'share_link',
      entityId: id,
      writeId: null,
      changes: { label: input.label, expiresAt: input.expiresAt.toISOString(), maxUses: input.maxUses },
    });
    return view(deps.baseURL, row);
  });
}

/** The caller's clinic's share-links, newest first. */
export async function listShareLinks(deps: ShareLinkServiceDeps, auth: AuthContext): Promise<ShareLinkView[]> {
  const organizationId = requireMemberManager(auth);
  return deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    const rows = await tx<ShareLinkRow[]>`${selectLinks(tx)} where organization_id = ${organizationId} order by created_at desc, id`;
    return rows.map((row) => view(deps.baseURL, row));
  });
}

/** Revokes a share-link for good: its code stops working at once. Revoking it again changes nothing. */
export async function revokeShareLink(sql: Sql, auth: AuthContext, request: RequestContext, id: string): Promise<void> {
  const organizationId = requireMemberManager(auth);
  await sql.begin(async (tx) => {
    await actAs(tx, auth);
    const [link] = await tx<{ revoked_at: Date | null; label: string }[]>`
      select revoked_at, label from share_links where id = ${id} and organization_id = ${organizationId}`;
    if (link === undefined) throw new DomainError('NOT_FOUND', 'share link not found');
    if (link.revoked_at !== null) return;
    await tx`update share_links set revoked_at = clock_timestamp() where id = ${id} and revoked_at is null`;
    await appendAudit(tx, {
      ...requestAuditFields(request),
      actorPrincipalId: auth.principalId,
      organizationId,
      action: 'share_link.revoked',
      entityType: 'share_link',
      entityId: id,
      writeId: null,
      changes: { label: link.label },
    });
  });
}

/**
 * The poster: an SVG QR code of the link's join URL, with the code beneath it, as often as it is
 * asked for. A link that no longer admits anyone is refused with its reason: a poster that cannot
 * work is not printed.
 */
export async function shareLinkQr(deps: ShareLinkServiceDeps, auth: AuthContext, id: string): Promise<{ svg: string; code: string }> {
  const organizationId = requireMemberManager(auth);
  const row = await deps.sql.begin(async (tx) => {
    await actAs(tx, auth);
    const [found] = await tx<ShareLinkRow[]>`${selectLinks(tx)} where id = ${id} and organization_id = ${organizationId}`;
    return found;
  });
  if (row === undefined) throw new DomainError('NOT_FOUND', 'share link not found');
  if (row.status === 'revoked') throw new DomainError('SHARE_LINK_REVOKED', 'the share link has been revoked');
  if (row.status === 'expired') throw new DomainError('SHARE_LINK_EXPIRED', 'the share link has expired');
  if (row.status === 'exhausted') throw new DomainError('SHARE_LINK_EXHAUSTED', 'the share link has reached its maximum uses');
  const code = formatShareCode(row.code);
  return { svg: qrSvg(joinUrl(deps.baseURL, row.code), code), code };
}
