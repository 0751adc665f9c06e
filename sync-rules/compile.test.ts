import { describe, expect, it } from 'vitest';
import { all, any, columnIsContext, contextIn, exists, type AccessRule } from './access-rule.ts';
import { ACCESS_RULES, SYNCED_TABLES } from './access-rules.ts';
import { compilePoliciesSql, compileRuleToSql } from './compile-sql.ts';
import { scoped } from './scope.ts';
import type { AuthContext } from './context.ts';

const member: AuthContext = { principalId: '00000000-0000-4000-8000-000000000001', organizationId: '00000000-0000-4000-8000-000000000002', membershipRole: 'admin', platformRole: null };
const outsider: AuthContext = { principalId: '00000000-0000-4000-8000-000000000003', organizationId: null, membershipRole: null, platformRole: null };

describe('compile to SQL', () => {
  it('reads the context from transaction settings, treating a missing one as no rows', () => {
    const sql = compileRuleToSql({ table: 't', reason: '', predicate: columnIsContext('org_id', 'organizationId') });
    expect(sql).toBe(`"t"."org_id" = nullif(current_setting('app.organization_id', true), '')::uuid`);
  });

  it('compiles empty all/any to true/false and quotes identifiers and literals', () => {
    const rule: AccessRule = { table: 'we"ird', reason: '', predicate: any(all(), contextIn('platformRole', ["it's"])) };
    expect(compileRuleToSql(rule)).toBe(`(true or coalesce(nullif(current_setting('app.platform_role', true), '') in ('it''s'), false))`);
    expect(compileRuleToSql({ table: 't', reason: '', predicate: any() })).toBe('false');
  });

  it('compiles exists to a correlated subquery', () => {
    const sql = compileRuleToSql({
      table: 'humans',
      reason: '',
      predicate: exists({ relationship: 'memberships', table: 'memberships', childColumn: 'principal_id', parentColumn: 'principal_id', where: columnIsContext('organization_id', 'organizationId') }),
    });
    expect(sql).toContain('exists (select 1 from "memberships" e0 where e0."principal_id" = "humans"."principal_id"');
  });

  it('emits one policy per rule, for the runtime role only, guarding reads and writes alike', () => {
    const sql = compilePoliciesSql(Object.values(ACCESS_RULES), 'runtime');
    for (const table of SYNCED_TABLES) {
      expect(sql).toContain(`create policy "${table}_access" on "${table}" to "runtime"`);
    }
    expect(sql.match(/using \(/g)?.length).toBe(SYNCED_TABLES.length);
    expect(sql.match(/with check \(/g)?.length).toBe(SYNCED_TABLES.length);
  });
});

describe('compile to ZQL', () => {
  const ast = (query: unknown) => JSON.stringify((query as { ast: unknown }).ast ?? query);

  it('filters by the principal context, never by arguments', () => {
    expect(ast(scoped('locations', member))).toContain(member.organizationId);
  });

  it('turns a missing context into a condition that matches nothing', () => {
    const text = ast(scoped('locations', outsider));
    expect(text).not.toContain('organization_id');
    expect(text).toMatch(/"type":"or","conditions":\[\]/);
  });
});
