import { createBuilder, createSchema, json, number, relationships, string, table } from '@rocicorp/zero';
import type { AuthContext, MembershipRole } from './context.ts';
import type { OrganizationPermission } from './permissions.ts';

// Timestamps are epoch milliseconds on the client (Zero maps timestamptz to number).

const organizations = table('organizations')
  .columns({
    id: string(),
    slug: string(),
    name: string(),
    tenancyMode: string<'shared' | 'dedicated'>().from('tenancy_mode'),
    activatedAt: number().optional().from('activated_at'),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
  })
  .primaryKey('id');

const memberships = table('memberships')
  .columns({
    id: string(),
    organizationId: string().from('organization_id'),
    principalId: string().from('principal_id'),
    role: string<MembershipRole>(),
    customRoleId: string().optional().from('custom_role_id'),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
    updatedBy: string().optional().from('updated_by'),
  })
  .primaryKey('id');

// Named as in SQL: access rules address tables by their SQL name.
const organizationRoles = table('organization_roles')
  .columns({
    id: string(),
    organizationId: string().from('organization_id'),
    name: string(),
    description: string(),
    permissions: json<OrganizationPermission[]>(),
    createdBy: string().from('created_by'),
    updatedBy: string().from('updated_by'),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
  })
  .primaryKey('id');

const locations = table('locations')
  .columns({
    id: string(),
    organizationId: string().from('organization_id'),
    slug: string(),
    name: string(),
    address: string(),
    city: string(),
    country: string(),
    status: string<'active' | 'inactive' | 'closed'>(),
    closedAt: number().optional().from('closed_at'),
    createdAt: number().from('created_at'),
    updatedAt: number().from('updated_at'),
  })
  .primaryKey('id');

const humans = table('humans')
  .columns({
    principalId: string().from('principal_id'),
    email: string(),
    name: string(),
    locale: string<'ro' | 'en'>(),
  })
  .primaryKey('principalId');

const organizationRelationships = relationships(organizations, ({ many }) => ({
  memberships: many({ sourceField: ['id'], destField: ['organizationId'], destSchema: memberships }),
  locations: many({ sourceField: ['id'], destField: ['organizationId'], destSchema: locations }),
  roles: many({ sourceField: ['id'], destField: ['organizationId'], destSchema: organizationRoles }),
}));

const membershipRelationships = relationships(memberships, ({ one }) => ({
  human: one({ sourceField: ['principalId'], destField: ['principalId'], destSchema: humans }),
  organization: one({ sourceField: ['organizationId'], destField: ['id'], destSchema: organizations }),
  customRole: one({ sourceField: ['customRoleId'], destField: ['id'], destSchema: organizationRoles }),
}));

const organizationRoleRelationships = relationships(organizationRoles, ({ many }) => ({
  holders: many({ sourceField: ['id'], destField: ['customRoleId'], destSchema: memberships }),
}));

const humanRelationships = relationships(humans, ({ many }) => ({
  memberships: many({ sourceField: ['principalId'], destField: ['principalId'], destSchema: memberships }),
}));

export const schema = createSchema({
  tables: [organizations, memberships, organizationRoles, locations, humans],
  relationships: [organizationRelationships, membershipRelationships, organizationRoleRelationships, humanRelationships],
  // Security: only our named queries and custom mutators; no client-built queries, no CRUD pushes.
  enableLegacyQueries: false,
  enableLegacyMutators: false,
});

export type Schema = typeof schema;
export const zql = createBuilder(schema);

declare module '@rocicorp/zero' {
  interface DefaultTypes {
    schema: Schema;
    context: AuthContext;
  }
}
