import type { Sql } from 'postgres';
import { z } from 'zod';
import { ZMembershipRole, ZPlatformRole, type AuthContext } from '../../sync-rules/context.ts';
import { DomainError } from '../../sync-rules/errors.ts';
import { ZOrganizationPermission } from '../../sync-rules/permissions.ts';
import { actAs } from '../db-scope.ts';
import type { TokenClaims } from './tokens.ts';

const ZPermissionList = z.array(ZOrganizationPermission);

/**
 * Builds the principal's context from the database, not from the token: roles and memberships can
 * change while a token lives. Reads run under RLS as the principal itself.
 */
export async function loadAuthContext(sql: Sql, claims: TokenClaims, options: { whenMembershipGone: 'reject' | 'drop' } = { whenMembershipGone: 'reject' }): Promise<AuthContext> {
  return sql.begin(async (tx) => {
    await actAs(tx, { principalId: claims.principalId, organizationId: null, membershipRole: null, platformRole: null });
    const [human] = await tx<{ platform_role: string | null }[]>`
      select platform_role from humans where principal_id = ${claims.principalId}`;
    if (human === undefined) throw new DomainError('UNAUTHENTICATED', 'principal no longer exists');
    let membershipRole: AuthContext['membershipRole'] = null;
    let customRolePermissions: AuthContext['customRolePermissions'];
    let organizationId = claims.organizationId;
    if (organizationId !== null) {
      const [membership] = await tx<{ role: string; permissions: unknown }[]>`
        select m.role, r.permissions from memberships m left join organization_roles r on r.id = m.custom_role_id
        where m.principal_id = ${claims.principalId} and m.organization_id = ${organizationId}`;
      if (membership !== undefined) {
        membershipRole = ZMembershipRole.parse(membership.role);
        if (membershipRole === 'custom') customRolePermissions = ZPermissionList.parse(membership.permissions);
      } else if (options.whenMembershipGone === 'reject') throw new DomainError('UNAUTHENTICATED', 'membership no longer exists');
      // For sync: the person stays signed in but that clinic's rows leave their device.
      else organizationId = null;
    }
    return {
      principalId: claims.principalId,
      organizationId,
      membershipRole,
      platformRole: human.platform_role === null ? null : ZPlatformRole.parse(human.platform_role),
      ...(customRolePermissions === undefined ? {} : { customRolePermissions }),
    };
  });
}
